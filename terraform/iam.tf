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

resource "google_project_iam_member" "firestore_user" {
  for_each = local.function_service_accounts

  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${each.value}"
}

# Gemini through Vertex AI: roles/aiplatform.user exists only at project level (Vertex AI
# has no resource-scoped grant for model calls). Granted deliberately, and only to the
# functions that call the model: chat, insightsGenerate, and api (narrated simulations).
resource "google_project_iam_member" "vertex_ai_user" {
  for_each = toset(["api", "chat", "insights_generate"])

  project = var.project_id
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${local.function_service_accounts[each.key]}"
}
