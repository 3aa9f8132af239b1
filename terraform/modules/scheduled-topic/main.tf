# A schedule that publishes to a topic, optionally owning that topic.
#
# Delivery is at least once: Cloud Scheduler may publish a run twice and each publish
# has a new message id, so subscribers dedupe on a business key (e.g. the month being
# rolled up), as ARCHITECTURE.md requires of every event function.

locals {
  topic_id = var.create_topic ? google_pubsub_topic.this[0].id : "projects/${var.project_id}/topics/${var.topic_name}"
}

resource "google_pubsub_topic" "this" {
  count = var.create_topic ? 1 : 0

  project = var.project_id
  name    = var.topic_name
}

resource "google_pubsub_topic" "dead_letter" {
  count = var.create_topic && var.create_dead_letter_topic ? 1 : 0

  project = var.project_id
  name    = "${var.topic_name}-dlq"
}

# A topic with no subscription drops what is published to it; this one keeps dead
# letters for a week so they can be inspected and replayed.
resource "google_pubsub_subscription" "dead_letter_hold" {
  count = var.create_topic && var.create_dead_letter_topic ? 1 : 0

  project                    = var.project_id
  name                       = "${var.topic_name}-dlq-hold"
  topic                      = google_pubsub_topic.dead_letter[0].id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = "" # never expire for inactivity
  }
}

resource "google_cloud_scheduler_job" "this" {
  project     = var.project_id
  region      = var.region
  name        = var.job_name
  description = var.description
  schedule    = var.schedule
  time_zone   = var.time_zone
  paused      = var.paused

  retry_config {
    retry_count = var.retry_count
  }

  pubsub_target {
    topic_name = local.topic_id
    data       = base64encode(var.payload_json)
    attributes = var.attributes
  }
}
