# Inputs of the whole deployment. Values go in terraform.tfvars (see
# terraform.tfvars.example); nothing here holds a secret or a real project id.

variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter."
  }

  validation {
    # demo- ids are reserved for the emulators (the app refuses production with them).
    condition     = !startswith(var.project_id, "demo-")
    error_message = "project_id must not start with demo-: those ids are for the local emulators only."
  }
}

variable "region" {
  description = "Region for functions, Firestore, KMS, Scheduler and buckets. Defaults to Mumbai, close to the users and keeping data in India."
  type        = string
  default     = "asia-south1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as asia-south1."
  }
}

variable "frontend_url" {
  description = "Origin of the PWA on Firebase Hosting (e.g. https://app.example.com), used for OAuth redirects and CORS. HTTPS only."
  type        = string

  validation {
    condition     = can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", var.frontend_url))
    error_message = "frontend_url must be an https origin with no path or trailing slash, e.g. https://app.example.com."
  }
}

variable "oauth_client_id" {
  description = "OAuth 2.0 client id of the Google sign-in client (public, not a secret). The client secret goes into Secret Manager, never here."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+-[a-z0-9]+\\.apps\\.googleusercontent\\.com$", var.oauth_client_id))
    error_message = "oauth_client_id must look like <number>-<id>.apps.googleusercontent.com."
  }
}

variable "oauth_client_secret_version" {
  description = "Secret Manager version of the OAuth client secret that the auth function mounts. Pin a number: \"latest\" would change under running instances."
  type        = string
  default     = "1"

  validation {
    condition     = can(regex("^(latest|[1-9][0-9]*)$", var.oauth_client_secret_version))
    error_message = "oauth_client_secret_version must be a positive version number or \"latest\"."
  }
}

variable "fi_mcp_url" {
  description = "Streamable HTTP endpoint of Fi Money's MCP server, used by the fiSync function."
  type        = string
  default     = "https://mcp.fi.money:8080/mcp/stream"

  validation {
    condition     = can(regex("^https://", var.fi_mcp_url))
    error_message = "fi_mcp_url must be an https URL."
  }
}

variable "function_source_zip" {
  description = "Path (relative to this directory) of the zipped, built function source produced by the build step in the README."
  type        = string
  default     = "../.local/functions-source.zip"

  validation {
    condition     = can(regex("\\.zip$", var.function_source_zip))
    error_message = "function_source_zip must point at a .zip file."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["debug", "info", "warn", "error"], var.log_level)
    error_message = "log_level must be one of debug, info, warn, error."
  }
}

variable "event_max_age_seconds" {
  description = "EVENT_MAX_AGE_SECONDS of the event functions: older deliveries are dropped instead of processed. Pub/Sub retries for up to 7 days."
  type        = number
  default     = 86400

  validation {
    condition     = var.event_max_age_seconds >= 60 && var.event_max_age_seconds <= 604800 && floor(var.event_max_age_seconds) == var.event_max_age_seconds
    error_message = "event_max_age_seconds must be a whole number between 60 and 604800."
  }
}

variable "schedule_time_zone" {
  description = "IANA time zone of the Cloud Scheduler crons."
  type        = string
  default     = "Asia/Kolkata"

  validation {
    condition     = can(regex("^(UTC|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+)$", var.schedule_time_zone))
    error_message = "schedule_time_zone must be an IANA time zone name such as Asia/Kolkata."
  }
}

variable "exports_retention_days" {
  description = "Days after which user data exports are deleted from the exports bucket."
  type        = number
  default     = 7

  validation {
    condition     = var.exports_retention_days >= 1 && var.exports_retention_days <= 90 && floor(var.exports_retention_days) == var.exports_retention_days
    error_message = "exports_retention_days must be a whole number between 1 and 90."
  }
}

variable "labels" {
  description = "Extra labels applied to every resource that supports them (merged over app and managed-by)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "labels keys and values must be lowercase letters, digits, '_' or '-' (keys start with a letter), at most 63 characters."
  }
}

variable "gemini_model" {
  description = "GEMINI_MODEL: the Gemini model on Vertex AI behind chat, insights and narrated simulations."
  type        = string
  default     = "gemini-3.8-flash"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{2,63}$", var.gemini_model))
    error_message = "gemini_model must be a model id such as gemini-3.8-flash."
  }
}

variable "gemini_location" {
  description = "GEMINI_LOCATION: the Vertex AI location. asia-south1 (Mumbai) keeps processing in India; check the model is served there."
  type        = string
  default     = "asia-south1"

  validation {
    condition     = can(regex("^[a-z]+(-[a-z]+[0-9]+)?$", var.gemini_location))
    error_message = "gemini_location must be a Vertex AI location such as asia-south1."
  }
}

variable "ai_daily_token_budget" {
  description = "AI_DAILY_TOKEN_BUDGET: model tokens (input + output) one user may spend per IST day."
  type        = number
  default     = 200000

  validation {
    condition     = var.ai_daily_token_budget >= 1000 && var.ai_daily_token_budget <= 100000000 && floor(var.ai_daily_token_budget) == var.ai_daily_token_budget
    error_message = "ai_daily_token_budget must be a whole number between 1000 and 100000000."
  }
}
