# Periodic work, published onto the topics declared in pubsub.tf. Those topics also
# carry per-user messages from other publishers, so they are declared once there and
# the scheduled-topic module only adds the job (create_topic = false). Passing the topic
# resource's name (not a string literal) also makes each job wait for its topic.
#
# Payloads follow shared/contracts/events.ts; subscribers dedupe on a business key, so
# a run that Scheduler publishes twice is processed once.

module "schedule_networth_rollup" {
  source = "./modules/scheduled-topic"

  project_id   = var.project_id
  region       = var.region
  job_name     = "networth-rollup-monthly"
  description  = "Monthly net-worth rollup for all users (NetWorthRollupV1 without uid)."
  create_topic = false
  topic_name   = google_pubsub_topic.event["networth-rollup-v1"].name
  schedule     = "0 2 1 * *" # 02:00 on the 1st of every month
  time_zone    = var.schedule_time_zone
  payload_json = jsonencode({})

  depends_on = [google_project_service.enabled]
}

module "schedule_weekly_insights" {
  source = "./modules/scheduled-topic"

  project_id   = var.project_id
  region       = var.region
  job_name     = "insights-weekly"
  description  = "Weekly insights for all users (InsightsRequestedV1, reason weekly)."
  create_topic = false
  topic_name   = google_pubsub_topic.event["insights-requested-v1"].name
  schedule     = "0 6 * * 1" # 06:00 every Monday
  time_zone    = var.schedule_time_zone
  payload_json = jsonencode({ reason = "weekly" })

  depends_on = [google_project_service.enabled]
}
