"""Delivery: targets (folder, sftp, ftp, http) and the outbox that feeds them."""
