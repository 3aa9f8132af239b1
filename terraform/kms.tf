# The key-encryption key for envelope encryption: each secret record (OAuth refresh
# token, Fi MCP session id) has its own AES-256-GCM data key, wrapped by this key.

resource "google_kms_key_ring" "main" {
  project  = var.project_id
  name     = "future-finance"
  location = var.region

  depends_on = [google_project_service.enabled]
}

resource "google_kms_crypto_key" "envelope" {
  name     = "envelope-kek"
  key_ring = google_kms_key_ring.main.id
  purpose  = "ENCRYPT_DECRYPT"

  # 90 days. Rotation adds a primary version; older versions still decrypt, so
  # existing wrapped data keys keep working.
  rotation_period = "7776000s"

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "SOFTWARE"
  }

  lifecycle {
    # Destroying the key destroys its versions and with them every wrapped data key.
    prevent_destroy = true
  }
}

# Only the functions that store or read credentials may wrap and unwrap, on this key only.
locals {
  kms_users = ["api", "auth", "fi_sync"] # module names in functions.tf: api seals Fi sessions when linking
}

resource "google_kms_crypto_key_iam_member" "envelope_user" {
  for_each = toset(local.kms_users)

  crypto_key_id = google_kms_crypto_key.envelope.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${local.function_service_accounts[each.key]}"
}
