output "function_uris" {
  description = "HTTPS URI of each function, by module name. Firebase Hosting rewrites reach api and auth by function name and region, not by these URIs."
  value = {
    api               = module.api.uri
    auth              = module.auth.uri
    fi_sync           = module.fi_sync.uri
    networth_rollup   = module.networth_rollup.uri
    insights_generate = module.insights_generate.uri
  }
}

output "function_service_accounts" {
  description = "Dedicated runtime service account email of each function, by module name."
  value       = local.function_service_accounts
}

output "eventarc_triggers" {
  description = "Eventarc trigger of each event function; its Pub/Sub subscription is where the dead-letter policy is attached (README, Dead letters)."
  value = {
    fi_sync           = module.fi_sync.eventarc_trigger
    networth_rollup   = module.networth_rollup.eventarc_trigger
    insights_generate = module.insights_generate.eventarc_trigger
  }
}

output "topics" {
  description = "Full id of each event topic, by name."
  value       = { for name, topic in google_pubsub_topic.event : name => topic.id }
}

output "dead_letter_topics" {
  description = "Full id of the dead-letter topic of each event topic, by event topic name."
  value       = { for name, topic in google_pubsub_topic.dead_letter : name => topic.id }
}

output "kms_crypto_key_id" {
  description = "Resource id of the envelope-encryption key (the KMS_KEY_NAME given to auth and fiSync)."
  value       = google_kms_crypto_key.envelope.id
}

output "oauth_client_secret_id" {
  description = "Resource id of the Secret Manager secret that holds the OAuth client secret (add versions with gcloud)."
  value       = google_secret_manager_secret.oauth_client_secret.id
}

output "exports_bucket" {
  description = "Name of the bucket for user data exports."
  value       = google_storage_bucket.exports.name
}

output "function_source_bucket" {
  description = "Name of the bucket holding function source archives."
  value       = google_storage_bucket.function_source.name
}
