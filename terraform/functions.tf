# The deployed functions. Each is one instance of modules/function, so each runs as its
# own service account; entry_point is the name registered in functions/index.ts.
#
# HTTP functions sit behind Firebase Hosting rewrites (/api/**, /auth/**) on the PWA's
# origin, so they accept traffic from anywhere and authenticate users themselves (the
# __session cookie). Event functions take Pub/Sub messages through Eventarc only.

locals {
  source_bucket = google_storage_bucket.function_source.name
  source_object = google_storage_bucket_object.function_source.name

  # The zip holds compiled JavaScript (npm run build), so the buildpack must not run the
  # package's build script again; an empty GOOGLE_NODE_RUN_SCRIPTS skips npm scripts.
  build_env = { GOOGLE_NODE_RUN_SCRIPTS = "" }

  # Read by loadConfig (shared/config/config.ts) in every function: production config is
  # validated whole at cold start, so every function gets every required key.
  common_env = {
    APP_ENV           = "production"
    GCP_PROJECT_ID    = var.project_id
    GCP_REGION        = var.region
    LOG_LEVEL         = var.log_level
    FRONTEND_URL      = var.frontend_url
    FI_MCP_URL        = var.fi_mcp_url
    KMS_KEY_NAME      = google_kms_crypto_key.envelope.id # wraps data keys of sealed credentials
    OIDC_CLIENT_ID    = var.oauth_client_id
    OIDC_REDIRECT_URI = "${var.frontend_url}/auth/google/callback" # Hosting rewrites /auth/** to `auth`
    # Gemini on Vertex AI (chat, insightsGenerate, narrated simulations in api); LLM_PROVIDER defaults to gemini in production.
    GEMINI_MODEL          = var.gemini_model
    GEMINI_LOCATION       = var.gemini_location
    AI_DAILY_TOKEN_BUDGET = tostring(var.ai_daily_token_budget)
  }

  event_env = merge(local.common_env, {
    EVENT_MAX_AGE_SECONDS = tostring(var.event_max_age_seconds)
  })
}

module "api" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "api"
  entry_point = "api"
  description = "Read models, connections, consents, exports, simulations; enqueues slow work."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory      = "256Mi"
  timeout_seconds       = 60
  max_instance_count    = 20
  ingress_settings      = "ALLOW_ALL"
  allow_unauthenticated = true

  environment_variables = local.common_env

  depends_on = [google_project_service.enabled]
}

module "auth" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "auth"
  entry_point = "auth"
  description = "Google sign-in (OAuth code + PKCE), sessions and logout."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory      = "256Mi"
  timeout_seconds       = 30
  max_instance_count    = 10
  ingress_settings      = "ALLOW_ALL"
  allow_unauthenticated = true

  environment_variables = local.common_env

  # Bound by reference: the value stays in Secret Manager and the module grants this
  # function's account accessor on this secret only.
  secret_environment_variables = {
    OAUTH_CLIENT_SECRET = {
      secret  = google_secret_manager_secret.oauth_client_secret.secret_id
      version = var.oauth_client_secret_version
    }
  }

  depends_on = [google_project_service.enabled]
}

module "chat" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "chat"
  entry_point = "chat"
  description = "The grounded chat (server-sent events) and the user's conversations."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory      = "512Mi"
  timeout_seconds       = 120 # up to four tool rounds and one grounding retry per turn
  max_instance_count    = 10  # bounds Gemini quota use
  ingress_settings      = "ALLOW_ALL"
  allow_unauthenticated = true

  environment_variables = local.common_env

  depends_on = [google_project_service.enabled]
}

module "fi_sync" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "fi-sync"
  entry_point = "fiSync"
  description = "Pulls a user's data from Fi MCP under consent and writes a new generation."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory   = "512Mi"
  timeout_seconds    = 300
  max_instance_count = 10 # bounds concurrent sessions against Fi's MCP server

  environment_variables = local.event_env

  event_trigger = {
    pubsub_topic_id = google_pubsub_topic.event["fi-sync-requested-v1"].id
    retry_policy    = "RETRY_POLICY_RETRY"
  }

  depends_on = [google_project_service.enabled]
}

module "networth_rollup" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "networth-rollup"
  entry_point = "netWorthRollup"
  description = "Computes net-worth snapshots and views (monthly for all users, or one user after a sync)."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory   = "256Mi"
  timeout_seconds    = 300
  max_instance_count = 5

  environment_variables = local.event_env

  event_trigger = {
    pubsub_topic_id = google_pubsub_topic.event["networth-rollup-v1"].id
    retry_policy    = "RETRY_POLICY_RETRY"
  }

  depends_on = [google_project_service.enabled]
}

module "insights_generate" {
  source = "./modules/function"

  project_id  = var.project_id
  region      = var.region
  name        = "insights-generate"
  entry_point = "insightsGenerate"
  description = "Turns computed facts into Gemini-written insights."

  source_bucket               = local.source_bucket
  source_object               = local.source_object
  build_environment_variables = local.build_env

  available_memory   = "512Mi"
  timeout_seconds    = 300
  max_instance_count = 5 # bounds Gemini quota use

  environment_variables = local.event_env

  event_trigger = {
    pubsub_topic_id = google_pubsub_topic.event["insights-requested-v1"].id
    retry_policy    = "RETRY_POLICY_RETRY"
  }

  depends_on = [google_project_service.enabled]
}

locals {
  # Runtime service account of every function, by module name. Used for the
  # resource-scoped grants in pubsub.tf, kms.tf and iam.tf.
  function_service_accounts = {
    api               = module.api.service_account_email
    auth              = module.auth.service_account_email
    chat              = module.chat.service_account_email
    fi_sync           = module.fi_sync.service_account_email
    networth_rollup   = module.networth_rollup.service_account_email
    insights_generate = module.insights_generate.service_account_email
  }
}
