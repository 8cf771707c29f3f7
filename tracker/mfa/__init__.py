"""Multi-factor authentication (IA-2) on django-otp: who must use a second factor (policy), the
gate that holds them until they do (middleware, gate), enrolment and verification (devices,
views). See docs/decisions/0004-mfa.md."""
