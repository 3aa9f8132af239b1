# Buckets. Both use uniform bucket-level access (IAM only, no object ACLs) and enforce
# public access prevention, so no object can be made public by mistake.

resource "google_storage_bucket" "function_source" {
  project  = var.project_id
  name     = "${var.project_id}-functions-source"
  location = upper(var.region)

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  depends_on = [google_project_service.enabled]
}

# Content-addressed, so every new build gets a new object name and the functions are
# redeployed; an unchanged build changes nothing.
resource "google_storage_bucket_object" "function_source" {
  bucket = google_storage_bucket.function_source.name
  name   = "functions/source-${filemd5(var.function_source_zip)}.zip"
  source = var.function_source_zip

  lifecycle {
    create_before_destroy = true
  }
}

# User data exports hold financial data: short-lived, and with soft delete off, so that
# an erasure (consent revoked, export expired) is final rather than recoverable for a week.
resource "google_storage_bucket" "exports" {
  project  = var.project_id
  name     = "${var.project_id}-exports"
  location = upper(var.region)

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  soft_delete_policy {
    retention_duration_seconds = 0
  }

  lifecycle_rule {
    condition {
      age = var.exports_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}
