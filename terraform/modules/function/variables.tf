# Inputs of one Cloud Functions (2nd gen) deployment. Every variable is typed, described
# and validated here, so that a bad value fails at `terraform plan`, not half-way through
# an apply. Rules that involve two variables live as preconditions in main.tf, because
# cross-variable validation blocks need Terraform >= 1.9 and we support >= 1.6.

variable "project_id" {
  description = "Google Cloud project that owns the function and its service accounts."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the function, its Cloud Run service and its Eventarc trigger (e.g. asia-south1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as asia-south1."
  }
}

variable "name" {
  description = "Function name (also the Cloud Run service name). Lowercase kebab-case, 3-27 characters, so that the derived service account ids (fn-<name>, tr-<name>) stay within IAM's 30-character limit."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,25}[a-z0-9]$", var.name))
    error_message = "name must be 3-27 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "description" {
  description = "Human-readable description shown in the console."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 512
    error_message = "description must be at most 512 characters."
  }
}

variable "entry_point" {
  description = "Name the function is registered under in functions/index.ts (http('api', ...), cloudEvent('fiSync', ...)). The Functions Framework looks the target up by this name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_]*$", var.entry_point))
    error_message = "entry_point must be a JavaScript identifier, e.g. fiSync."
  }
}

variable "runtime" {
  description = "Cloud Functions runtime id. The project is built for Node 22."
  type        = string
  default     = "nodejs22"

  validation {
    # Node 22 is the floor: the Google client libraries we ship require it.
    condition     = can(regex("^nodejs(2[2-9]|[3-9][0-9])$", var.runtime))
    error_message = "runtime must be nodejs22 or a later Node.js runtime id."
  }
}

variable "source_bucket" {
  description = "Cloud Storage bucket holding the zipped function source."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.source_bucket))
    error_message = "source_bucket must be a valid Cloud Storage bucket name."
  }
}

variable "source_object" {
  description = "Object name of the source zip inside source_bucket. Name it by content hash so that a new build changes the name and triggers a redeploy."
  type        = string

  validation {
    condition     = can(regex("\\.zip$", var.source_object))
    error_message = "source_object must name a .zip archive."
  }
}

variable "build_environment_variables" {
  description = "Environment variables for the Cloud Build step (buildpacks), e.g. GOOGLE_NODE_RUN_SCRIPTS = \"\" to ship prebuilt JavaScript without running npm scripts."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.build_environment_variables) : can(regex("^[A-Z][A-Z0-9_]*$", k))])
    error_message = "build_environment_variables keys must be UPPER_SNAKE_CASE."
  }
}

variable "available_memory" {
  description = "Memory per instance, in Cloud Run units (e.g. 256Mi, 512Mi, 1Gi)."
  type        = string
  default     = "256Mi"

  validation {
    condition     = contains(["128Mi", "256Mi", "512Mi", "1Gi", "2Gi", "4Gi", "8Gi", "16Gi", "32Gi"], var.available_memory)
    error_message = "available_memory must be one of 128Mi, 256Mi, 512Mi, 1Gi, 2Gi, 4Gi, 8Gi, 16Gi, 32Gi."
  }
}

variable "timeout_seconds" {
  description = "Request timeout in seconds. HTTP functions allow up to 3600; event functions up to 540 (checked in a precondition)."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number between 1 and 3600."
  }
}

variable "min_instance_count" {
  description = "Instances kept warm. 0 scales to zero (cheapest; accepts cold starts)."
  type        = number
  default     = 0

  validation {
    condition     = var.min_instance_count >= 0 && var.min_instance_count <= 100 && floor(var.min_instance_count) == var.min_instance_count
    error_message = "min_instance_count must be a whole number between 0 and 100."
  }
}

variable "max_instance_count" {
  description = "Upper bound on instances. Caps cost and protects downstream quotas (Fi MCP, Gemini, Firestore)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_instance_count >= 1 && var.max_instance_count <= 1000 && floor(var.max_instance_count) == var.max_instance_count
    error_message = "max_instance_count must be a whole number between 1 and 1000."
  }
}

variable "ingress_settings" {
  description = "Who may reach the function over the network. HTTP functions behind Firebase Hosting need ALLOW_ALL; Pub/Sub push through Eventarc counts as internal, so event functions use ALLOW_INTERNAL_ONLY."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.ingress_settings)
    error_message = "ingress_settings must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "allow_unauthenticated" {
  description = "Grant roles/run.invoker to allUsers on this function's Cloud Run service. Needed for HTTP functions served through Firebase Hosting rewrites (Hosting does not authenticate to the backend); the function then authenticates callers itself (session cookie). Never for event functions."
  type        = bool
  default     = false
}

variable "environment_variables" {
  description = "Plain runtime environment variables. Never put secrets here: they are visible to anyone who can view the function. Use secret_environment_variables instead."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.environment_variables) : can(regex("^[A-Z][A-Z0-9_]*$", k))])
    error_message = "environment_variables keys must be UPPER_SNAKE_CASE."
  }

  validation {
    # Set by Cloud Run / the Functions Framework; overriding them breaks the runtime.
    condition     = length(setintersection(keys(var.environment_variables), ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", "FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"])) == 0
    error_message = "environment_variables must not set reserved names (PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE)."
  }
}

variable "secret_environment_variables" {
  description = "Environment variables resolved from Secret Manager at instance start, keyed by variable name. Each names a secret in project_id by its short id and a version (pin a number; \"latest\" changes under running instances). The module grants this function's service account roles/secretmanager.secretAccessor on exactly these secrets."
  type = map(object({
    secret  = string
    version = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.secret_environment_variables) : can(regex("^[A-Z][A-Z0-9_]*$", k))])
    error_message = "secret_environment_variables keys must be UPPER_SNAKE_CASE."
  }

  validation {
    condition     = alltrue([for s in values(var.secret_environment_variables) : can(regex("^[A-Za-z0-9_-]{1,255}$", s.secret))])
    error_message = "Each secret must be a Secret Manager secret id (letters, digits, '-' and '_'), not a full resource path."
  }

  validation {
    condition     = alltrue([for s in values(var.secret_environment_variables) : can(regex("^(latest|[1-9][0-9]*)$", s.version))])
    error_message = "Each secret version must be a positive version number or \"latest\"."
  }
}

variable "event_trigger" {
  description = "Set for an event function: the Pub/Sub topic (full id, projects/<p>/topics/<t>) whose messages are delivered through Eventarc as CloudEvents, and the retry policy. RETRY_POLICY_RETRY redelivers on a thrown error (handlers throw only on transient failures). Null for an HTTP function."
  type = object({
    pubsub_topic_id = string
    retry_policy    = optional(string, "RETRY_POLICY_RETRY")
  })
  default = null

  validation {
    # A conditional, not ||: Terraform < 1.12 evaluates both sides of || and would read
    # an attribute of null.
    condition     = var.event_trigger == null ? true : can(regex("^projects/[^/]+/topics/[^/]+$", var.event_trigger.pubsub_topic_id))
    error_message = "event_trigger.pubsub_topic_id must be a full topic id: projects/<project>/topics/<topic>."
  }

  validation {
    condition     = var.event_trigger == null ? true : contains(["RETRY_POLICY_RETRY", "RETRY_POLICY_DO_NOT_RETRY"], var.event_trigger.retry_policy)
    error_message = "event_trigger.retry_policy must be RETRY_POLICY_RETRY or RETRY_POLICY_DO_NOT_RETRY."
  }
}

variable "labels" {
  description = "Labels applied to the function."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "labels keys and values must be lowercase letters, digits, '_' or '-' (keys start with a letter), at most 63 characters."
  }
}
