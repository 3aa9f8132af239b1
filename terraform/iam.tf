# Project-level grants. Everything else is granted on the one resource it concerns
# (topics in pubsub.tf, the KMS key in kms.tf, secrets and Cloud Run invokers in
# modules/function).
#
# Firestore has no per-database or per-collection IAM for data access: reading and
# writing documents is granted with roles/datastore.user at project level. That is the
# only project-level role given, and only to the functions' own service accounts;
# per-user isolation is enforced in code (paths derive from the session's uid).
#
# Not granted on purpose:
# - roles/logging.logWriter: the logger writes structured JSON to stdout
#   (LoggingWinston redirectToStdout), which Cloud Run forwards without any role.
# - roles/aiplatform.user for insightsGenerate: Vertex AI checks Gemini calls at project
#   level and has no resource-scoped alternative, which our rule (no project roles but
#   datastore.user and logging.logWriter) forbids. See README "Open decisions".

resource "google_project_iam_member" "firestore_user" {
  for_each = local.function_service_accounts

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"
}
