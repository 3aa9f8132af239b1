# Inputs of a Cloud Scheduler job that publishes a fixed JSON payload to a Pub/Sub topic.
# The topic is created here by default (with a dead-letter topic). When another file
# already declares the topic, set create_topic = false and pass its name: the job then
# targets that topic and nothing is declared twice.

variable "project_id" {
  description = "Google Cloud project that owns the topic and the scheduler job."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the Cloud Scheduler job (e.g. asia-south1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Google Cloud region such as asia-south1."
  }
}

variable "job_name" {
  description = "Cloud Scheduler job name, unique in the region."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,500}$", var.job_name))
    error_message = "job_name may contain only letters, digits, '-' and '_' (1-500 characters)."
  }
}

variable "description" {
  description = "What the schedule is for, shown in the console."
  type        = string
  default     = ""

  validation {
    condition     = length(var.description) <= 500
    error_message = "description must be at most 500 characters."
  }
}

variable "topic_name" {
  description = "Short name of the Pub/Sub topic the job publishes to. Topics are versioned: the name ends in -v<N>, and a breaking payload change gets a new topic."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,240}-v[0-9]+$", var.topic_name))
    error_message = "topic_name must be lowercase kebab-case ending in a version suffix, e.g. networth-rollup-v1."
  }
}

variable "create_topic" {
  description = "Create the topic (and its dead-letter topic) here. Set false when the topic is declared elsewhere; the job then targets projects/<project_id>/topics/<topic_name>."
  type        = bool
  default     = true
}

variable "create_dead_letter_topic" {
  description = "With create_topic, also create <topic_name>-dlq and a subscription that retains what lands there, for subscriptions of the topic to dead-letter into."
  type        = bool
  default     = true
}

variable "schedule" {
  description = "Unix cron expression with five fields (minute hour day-of-month month day-of-week), evaluated in time_zone."
  type        = string

  validation {
    condition     = length(regexall("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+$", trimspace(var.schedule))) == 1
    error_message = "schedule must be a five-field cron expression, e.g. \"0 2 1 * *\"."
  }
}

variable "time_zone" {
  description = "IANA time zone the schedule is evaluated in. Users are in India, so schedules are written in IST."
  type        = string
  default     = "Asia/Kolkata"

  validation {
    condition     = can(regex("^(UTC|Etc/[A-Za-z0-9+-]+|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+)$", var.time_zone))
    error_message = "time_zone must be an IANA time zone name such as Asia/Kolkata or UTC."
  }
}

variable "payload_json" {
  description = "JSON document published as the message body at every run. It must satisfy the topic's payload schema (shared/contracts/events.ts); subscribers reject anything else."
  type        = string
  default     = "{}"

  validation {
    condition     = can(jsondecode(var.payload_json))
    error_message = "payload_json must be valid JSON."
  }
}

variable "attributes" {
  description = "Pub/Sub message attributes added to every published message."
  type        = map(string)
  default     = {}

  validation {
    # Pub/Sub rejects attribute keys that start with "goog" (reserved) or exceed 256 bytes.
    condition     = alltrue([for k in keys(var.attributes) : length(k) > 0 && length(k) <= 256 && !startswith(lower(k), "goog")])
    error_message = "attributes keys must be 1-256 characters and must not start with \"goog\"."
  }
}

variable "retry_count" {
  description = "How many times Cloud Scheduler retries a failed publish before giving up until the next run."
  type        = number
  default     = 3

  validation {
    condition     = var.retry_count >= 0 && var.retry_count <= 5 && floor(var.retry_count) == var.retry_count
    error_message = "retry_count must be a whole number between 0 and 5."
  }
}

variable "paused" {
  description = "Create the job paused (for example in a staging project)."
  type        = bool
  default     = false
}
