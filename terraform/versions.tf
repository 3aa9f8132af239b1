terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
    # Used for google_project_service_identity (the Pub/Sub service agent), which exists
    # only in the beta provider.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.0"
    }
  }

  # State lives in a GCS bucket created outside this configuration. Partial
  # configuration: pass the bucket at init time (see README), so no project-specific
  # name is committed here.
  backend "gcs" {}
}
