# The Firestore database (Native mode) in the deployment region, and TTL policies.
#
# TTL deletion is asynchronous and can lag by a day or more, so the code also treats
# an expired document as absent (see the idempotency store); TTL only reclaims space.

resource "google_firestore_database" "main" {
  project     = var.project_id
  name        = "(default)"
  location_id = var.region
  type        = "FIRESTORE_NATIVE"

  # Financial data: keep 7 days of point-in-time recovery, refuse deletion through the
  # API, and let `terraform destroy` forget the database rather than delete it.
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"

  depends_on = [google_project_service.enabled]
}

# An empty index_config removes the automatic single-field indexes on a TTL field.
# Nothing queries these fields (documents are read by key and the expiry is checked in
# code), and an index on an ever-increasing timestamp is a write hotspot.

# Event dedupe records (processedEvents/{sha256(key)}), written by every event function.
resource "google_firestore_field" "processed_events_ttl" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "processedEvents"
  field      = "expiresAt"

  ttl_config {}
  index_config {}
}

# Rate-limit windows (rateLimits/{key}).
resource "google_firestore_field" "rate_limits_ttl" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "rateLimits"
  field      = "expiresAt"

  ttl_config {}
  index_config {}
}

# Sessions (sessions/{sha256(token)}): purgeAt is the absolute end of the session; expiry is
# enforced on every read, the TTL only clears ended sessions away.
resource "google_firestore_field" "sessions_ttl" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "sessions"
  field      = "purgeAt"

  ttl_config {}
  index_config {}
}

# Pending sign-ins (preAuth/{sha256(token)}), ten minutes each.
resource "google_firestore_field" "preauth_ttl" {
  project    = var.project_id
  database   = google_firestore_database.main.name
  collection = "preAuth"
  field      = "purgeAt"

  ttl_config {}
  index_config {}
}
