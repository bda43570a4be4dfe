-- The CA certificate (PEM) an external database's certificate is verified against, when not the system's CAs.
ALTER TABLE external_instances ADD COLUMN ca_pem TEXT;
