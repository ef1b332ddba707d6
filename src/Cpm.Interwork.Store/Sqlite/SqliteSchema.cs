namespace Cpm.Interwork.Store.Sqlite;

/// <summary>Versioned SQLite schema: migration N (1-based) moves the database from version N-1 to N.</summary>
internal static class SqliteSchema
{
    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)";

    public const string ReadVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_version";

    public const string RecordVersion = "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now)";

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE work_items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            dedup_key TEXT NOT NULL,
            group_key TEXT,
            parent_id INTEGER,
            state INTEGER NOT NULL,
            sip_call_id TEXT,
            sender TEXT,
            imdn_message_id TEXT,
            mm4_transaction_id TEXT,
            mm4_message_id TEXT,
            recipients TEXT NOT NULL,
            peer_domain TEXT,
            payload BLOB NOT NULL,
            envelope BLOB NOT NULL,
            attempts INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            expires_at INTEGER,
            completed_at INTEGER,
            lease_owner TEXT,
            lease_until INTEGER,
            status_code INTEGER,
            status_text TEXT,
            version INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ux_work_items_dedup_key ON work_items (dedup_key);
        CREATE UNIQUE INDEX ux_work_items_minted_transaction_id ON work_items (kind, mm4_transaction_id)
            WHERE mm4_transaction_id IS NOT NULL AND kind IN (1, 4, 5);
        CREATE INDEX ix_work_items_due ON work_items (next_attempt_at) WHERE state IN (0, 1, 2);
        CREATE INDEX ix_work_items_transaction_id ON work_items (mm4_transaction_id) WHERE mm4_transaction_id IS NOT NULL;
        CREATE INDEX ix_work_items_mm4_message_id ON work_items (mm4_message_id) WHERE mm4_message_id IS NOT NULL;
        CREATE INDEX ix_work_items_imdn_message_id ON work_items (imdn_message_id) WHERE imdn_message_id IS NOT NULL;
        CREATE INDEX ix_work_items_group_key ON work_items (group_key) WHERE group_key IS NOT NULL;
        CREATE INDEX ix_work_items_sip_call_id ON work_items (sip_call_id) WHERE sip_call_id IS NOT NULL;
        CREATE INDEX ix_work_items_completed_at ON work_items (completed_at) WHERE completed_at IS NOT NULL;
        CREATE INDEX ix_work_items_expires_at ON work_items (expires_at) WHERE expires_at IS NOT NULL;
        """,
    ];
}
