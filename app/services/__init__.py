"""Business logic as plain functions: keyword-only arguments, a Session in, no Flask imports."""
