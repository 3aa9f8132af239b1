# One Cloud Functions (2nd gen) deployment with its own identity.
#
# Contract:
# - Every function runs as its own service account (fn-<name>), created here and used by
#   nothing else, so each grant made to it (in this module or in the root) is a grant to
#   exactly one function.
# - Secrets are bound by reference (secret id + version), never copied into variables or
#   state, and the runtime account can read exactly the secrets it binds.
# - An event function is reached only through its Eventarc trigger: a separate trigger
#   account (tr-<name>) holds roles/run.invoker on this function's Cloud Run service alone.

locals {
  is_event_function = var.event_trigger != null

  # Secrets referenced by the bindings, deduplicated: two variables may read two
  # versions of one secret, and one IAM member per secret is enough.
  bound_secrets = toset([for s in values(var.secret_environment_variables) : s.secret])
}

resource "google_service_account" "runtime" {
  project      = var.project_id
  account_id   = "fn-${var.name}"
  display_name = "Runtime of function ${var.name}"
  description  = "Identity of Cloud Function ${var.name} (entry point ${var.entry_point}). Used by this function only."
}

# Created only for event functions. Keeping it apart from the runtime account means the
# identity that Pub/Sub pushes with can invoke the function and do nothing else, and the
# runtime account never needs run.invoker on anything.
resource "google_service_account" "trigger" {
  count = local.is_event_function ? 1 : 0

  project      = var.project_id
  account_id   = "tr-${var.name}"
  display_name = "Eventarc trigger of function ${var.name}"
  description  = "Identity Eventarc/Pub/Sub uses to push events to Cloud Function ${var.name}. Holds run.invoker on that function only."
}

# Granted here rather than by the caller because Cloud Run checks, at deploy time, that
# the runtime account can read every secret it mounts: the grant has to exist before the
# function, and only this module can order the two without a dependency cycle.
resource "google_secret_manager_secret_iam_member" "runtime_secret_access" {
  for_each = local.bound_secrets

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  name        = var.name
  location    = var.region
  description = var.description
  labels      = var.labels

  build_config {
    runtime               = var.runtime
    entry_point           = var.entry_point
    environment_variables = var.build_environment_variables

    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
    # build_config.service_account is left to the project default: a dedicated build
    # account needs project-level Cloud Build / Artifact Registry roles, which this
    # module does not grant (see the root README).
  }

  service_config {
    service_account_email          = google_service_account.runtime.email
    available_memory               = var.available_memory
    timeout_seconds                = var.timeout_seconds
    min_instance_count             = var.min_instance_count
    max_instance_count             = var.max_instance_count
    ingress_settings               = var.ingress_settings
    all_traffic_on_latest_revision = true

    # The platform adds LOG_EXECUTION_ID=true to every 2nd gen function; declaring it
    # here avoids a permanent diff on every plan. A caller can still set it to "false".
    environment_variables = merge({ LOG_EXECUTION_ID = "true" }, var.environment_variables)

    dynamic "secret_environment_variables" {
      for_each = var.secret_environment_variables
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret
        version    = secret_environment_variables.value.version
      }
    }
  }

  dynamic "event_trigger" {
    for_each = local.is_event_function ? [var.event_trigger] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = event_trigger.value.pubsub_topic_id
      retry_policy          = event_trigger.value.retry_policy
      service_account_email = google_service_account.trigger[0].email
    }
  }

  lifecycle {
    precondition {
      condition     = local.is_event_function ? var.timeout_seconds <= 540 : true
      error_message = "Event functions allow at most 540 seconds of timeout_seconds."
    }
    precondition {
      condition     = !(local.is_event_function && var.allow_unauthenticated)
      error_message = "allow_unauthenticated is for HTTP functions only; an event function is invoked by its trigger account."
    }
    precondition {
      condition     = length(setintersection(keys(var.environment_variables), keys(var.secret_environment_variables))) == 0
      error_message = "A variable name cannot be both a plain and a secret environment variable."
    }
    precondition {
      condition     = var.min_instance_count <= var.max_instance_count
      error_message = "min_instance_count must not exceed max_instance_count."
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.runtime_secret_access]
}

locals {
  # service_config.service names the function's Cloud Run service; depending on the API
  # it is a bare name or a full resource path, so keep the last path segment. Using the
  # attribute (not var.name) also orders the IAM members after the service exists.
  run_service_name = element(reverse(split("/", google_cloudfunctions2_function.this.service_config[0].service)), 0)
}

# Scoped to this function's Cloud Run service: the trigger account can invoke this
# function and no other. Pub/Sub mints the push token for this account through its own
# service agent (roles/iam.serviceAccountTokenCreator is part of the Pub/Sub service
# agent role in projects created since April 2021; older projects must grant it).
resource "google_cloud_run_service_iam_member" "trigger_invoker" {
  count = local.is_event_function ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.this.location
  service  = local.run_service_name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger[0].email}"
}

# Firebase Hosting rewrites call the function without credentials, so an HTTP function
# behind Hosting must be publicly invokable; it authenticates users itself.
resource "google_cloud_run_service_iam_member" "public_invoker" {
  count = var.allow_unauthenticated ? 1 : 0

  project  = var.project_id
  location = google_cloudfunctions2_function.this.location
  service  = local.run_service_name
  role     = "roles/run.invoker"
  member   = "allUsers"
}
