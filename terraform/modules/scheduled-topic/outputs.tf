output "topic_id" {
  description = "Full id (projects/<p>/topics/<t>) of the topic the job publishes to."
  value       = local.topic_id
}

output "dead_letter_topic_id" {
  description = "Full id of the dead-letter topic created here, or null when none was created."
  value       = var.create_topic && var.create_dead_letter_topic ? google_pubsub_topic.dead_letter[0].id : null
}

output "job_id" {
  description = "Resource id of the Cloud Scheduler job."
  value       = google_cloud_scheduler_job.this.id
}
