"""Moving assets in and out: CSV reading and writing, import, export, and Open Referral UK."""
