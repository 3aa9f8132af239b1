terraform {
  # Preconditions and optional object attributes with defaults need >= 1.3; the root
  # pins >= 1.6 and this module follows it so both are tested with the same binary.
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 7.0"
    }
  }
}
