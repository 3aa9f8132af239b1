output "name" {
  description = "Function name (also its Cloud Run service name)."
  value       = google_cloudfunctions2_function.this.name
}

output "uri" {
  description = "HTTPS URI of the function's Cloud Run service."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_account_email" {
  description = "Email of this function's dedicated runtime service account; grant it resource-scoped roles only."
  value       = google_service_account.runtime.email
}

output "trigger_service_account_email" {
  description = "Email of the Eventarc trigger service account (event functions), or null for an HTTP function."
  value       = local.is_event_function ? google_service_account.trigger[0].email : null
}

output "eventarc_trigger" {
  description = "Eventarc trigger resource name (event functions), or null. Its transport subscription is where a dead-letter policy is attached (see the root README)."
  value       = local.is_event_function ? google_cloudfunctions2_function.this.event_trigger[0].trigger : null
}
