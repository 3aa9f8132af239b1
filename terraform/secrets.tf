# Secret Manager secrets. Terraform declares the secret, never its value: versions are
# added with gcloud (README), so no secret reaches the configuration or the state.

resource "google_secret_manager_secret" "oauth_client_secret" {
  project   = var.project_id
  secret_id = "oauth-client-secret"

  # Replicated in the deployment region only, so the secret stays in India.
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.enabled]
}

# Access: the auth function's service account gets roles/secretmanager.secretAccessor on
# this secret only. The grant is made inside modules/function (for every secret a
# function binds), not here, because Cloud Run refuses to deploy a function whose
# account cannot read a bound secret: the grant must precede the function, which only
# the module can order without a dependency cycle.
