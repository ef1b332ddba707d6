using System.Globalization;

namespace Cpm.Interwork.Store;

/// <summary>The <c>Store:</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";
    public const string SqliteProvider = "Sqlite";
    public const string PostgresProvider = "Postgres";

    /// <summary>Store:Provider — Sqlite (embedded, default) or Postgres.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>Store:Path — SQLite file; relative paths are resolved against the content root.</summary>
    public string Path { get; set; } = "data/cpm-interwork.db";

    /// <summary>Store:ConnectionString — Npgsql connection string; required for Postgres.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Store:Synchronous — SQLite PRAGMA synchronous: Full (default, survives power loss) or Normal.</summary>
    public string Synchronous { get; set; } = "Full";

    /// <summary>Store:BusyTimeout — how long SQLite waits for another process's lock.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Store:MaxBatchSize — most write operations the SQLite writer commits in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Store:WriteQueueCapacity — SQLite writes waiting for the writer before callers wait too.</summary>
    public int WriteQueueCapacity { get; set; } = 8192;

    /// <summary>Store:Retention — how long finished or expired items are kept before a purge deletes them.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Store:PurgeInterval — how often the host runs the purge.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    public bool IsPostgres => string.Equals(Provider, PostgresProvider, StringComparison.OrdinalIgnoreCase);

    public bool IsSqlite => string.Equals(Provider, SqliteProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsSqlite && !IsPostgres)
        {
            errors.Add(Invariant($"Store:Provider = '{Provider}' must be Sqlite or Postgres"));
        }

        if (IsSqlite)
        {
            if (string.IsNullOrWhiteSpace(Path))
            {
                errors.Add("Store:Path must name the SQLite database file");
            }
            else if (Path.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
            {
                errors.Add(Invariant($"Store:Path = '{Path}' contains characters not allowed in a path"));
            }

            if (!string.Equals(Synchronous, "Full", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(Synchronous, "Normal", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(Invariant($"Store:Synchronous = '{Synchronous}' must be Full or Normal"));
            }
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("Store:ConnectionString is required when Store:Provider is Postgres");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add(Invariant($"Store:BusyTimeout = '{BusyTimeout}' must be between 00:00:00 and 00:05:00"));
        }

        if (MaxBatchSize is < 1 or > 10_000)
        {
            errors.Add(Invariant($"Store:MaxBatchSize = '{MaxBatchSize}' must be between 1 and 10000"));
        }

        if (WriteQueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add(Invariant($"Store:WriteQueueCapacity = '{WriteQueueCapacity}' must be between 1 and 1000000"));
        }

        if (Retention < TimeSpan.FromMinutes(1))
        {
            errors.Add(Invariant($"Store:Retention = '{Retention}' must be at least 00:01:00"));
        }

        if (PurgeInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add(Invariant($"Store:PurgeInterval = '{PurgeInterval}' must be at least 00:00:01"));
        }

        return errors;
    }

    /// <summary>The SQLite file path, made absolute against <paramref name="contentRoot"/>.</summary>
    public string ResolveSqlitePath(string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(contentRoot);
        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(Path) ? Path : System.IO.Path.Combine(contentRoot, Path));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
