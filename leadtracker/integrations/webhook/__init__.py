"""The generic inbound webhook: any form tool or portal, mapped field by field by the admin."""
