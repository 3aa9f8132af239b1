# Pub/Sub topics, one per event contract. Names are the versioned constants of
# shared/contracts/events.ts (Topics); a breaking payload change gets a new -v<N+1> topic
# alongside the old one, never an in-place change. The unit test checks the two lists
# are the same.
locals {
  event_topics = [
    "fi-sync-requested-v1",
    "fi-sync-completed-v1",
    "networth-rollup-v1",
    "insights-requested-v1",
  ]

  # Who publishes what, as resource-scoped roles/pubsub.publisher grants: a function can
  # publish only to the topics listed for it. Keys are function modules (functions.tf).
  # Keep in step with the code's EventBus.publish calls.
  topic_publishers = {
    "fi-sync-requested-v1"  = ["api"]            # a user asks for a sync
    "fi-sync-completed-v1"  = ["fi_sync"]        # the sync run's outcome
    "networth-rollup-v1"    = ["fi_sync", "networth_rollup"] # after a sync; the monthly run (Scheduler) fans out per user
    "insights-requested-v1" = ["api", "fi_sync"] # on demand, and after a sync (the weekly run comes from Scheduler)
  }

  topic_publisher_pairs = merge([
    for topic, fns in local.topic_publishers : {
      for fn in fns : "${topic}/${fn}" => { topic = topic, function = fn }
    }
  ]...)
}

resource "google_pubsub_topic" "event" {
  for_each = toset(local.event_topics)

  project = var.project_id
  name    = each.key

  depends_on = [google_project_service.enabled]
}

# Dead-letter topic per event topic. Eventarc creates and owns the push subscription of
# each event function, and neither the function resource nor the Eventarc trigger lets
# Terraform set that subscription's dead-letter policy. After the first apply, attach
# it once per event function with the commands in README.md ("Dead letters"); Terraform
# does not manage that subscription, so it will not undo the change.
resource "google_pubsub_topic" "dead_letter" {
  for_each = toset(local.event_topics)

  project = var.project_id
  name    = "${each.key}-dlq"

  depends_on = [google_project_service.enabled]
}

# A topic without a subscription discards messages; this keeps dead letters for a week
# for inspection and replay.
resource "google_pubsub_subscription" "dead_letter_hold" {
  for_each = google_pubsub_topic.dead_letter

  project                    = var.project_id
  name                       = "${each.value.name}-hold"
  topic                      = each.value.id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = "" # never expire for inactivity
  }
}

# Pub/Sub forwards undeliverable messages as its own service agent, which therefore
# needs publisher on each dead-letter topic (and subscriber on the source subscription,
# granted with the README commands because that subscription is Eventarc's).
resource "google_project_service_identity" "pubsub" {
  provider = google-beta

  project = var.project_id
  service = "pubsub.googleapis.com"

  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter

  project = var.project_id
  topic   = each.value.name
  role    = "roles/pubsub.publisher"
  member  = google_project_service_identity.pubsub.member
}

resource "google_pubsub_topic_iam_member" "function_publisher" {
  for_each = local.topic_publisher_pairs

  project = var.project_id
  topic   = google_pubsub_topic.event[each.value.topic].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${local.function_service_accounts[each.value.function]}"
}
