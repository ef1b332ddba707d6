namespace Cpm.Interwork.Store.Tests;

public sealed class StoreOptionsTests
{
    [Fact]
    public void Defaults_AreValid_EmbeddedSqliteUnderData()
    {
        var options = new StoreOptions();

        Assert.Empty(options.Validate());
        Assert.True(options.IsSqlite);
        Assert.Equal("data/cpm-interwork.db", options.Path);
        Assert.Equal("Full", options.Synchronous);
        Assert.Equal(TimeSpan.FromSeconds(5), options.BusyTimeout);
        Assert.Equal(256, options.MaxBatchSize);
        Assert.Equal(8192, options.WriteQueueCapacity);
        Assert.Equal(TimeSpan.FromDays(7), options.Retention);
        Assert.Equal(TimeSpan.FromHours(1), options.PurgeInterval);
    }

    [Fact]
    public void UnknownProvider_IsReportedWithTheKeyAndValue()
    {
        var errors = new StoreOptions { Provider = "x" }.Validate();

        Assert.Equal(["Store:Provider = 'x' must be Sqlite or Postgres"], errors);
    }

    [Fact]
    public void Postgres_WithoutConnectionString_IsReported()
    {
        var errors = new StoreOptions { Provider = "postgres" }.Validate();

        Assert.Equal(["Store:ConnectionString is required when Store:Provider is Postgres"], errors);
    }

    [Fact]
    public void Postgres_WithConnectionString_IgnoresSqliteOnlyKeys()
    {
        var options = new StoreOptions { Provider = "Postgres", ConnectionString = "Host=127.0.0.1", Path = "", Synchronous = "bogus" };

        Assert.Empty(options.Validate());
        Assert.True(options.IsPostgres);
    }

    [Theory]
    [InlineData("Store:Path")]
    [InlineData("Store:Synchronous")]
    [InlineData("Store:BusyTimeout")]
    [InlineData("Store:MaxBatchSize")]
    [InlineData("Store:WriteQueueCapacity")]
    [InlineData("Store:Retention")]
    [InlineData("Store:PurgeInterval")]
    public void EachOutOfRangeValue_IsReportedUnderItsOwnKey(string key)
    {
        var options = new StoreOptions();
        switch (key)
        {
            case "Store:Path": options.Path = " "; break;
            case "Store:Synchronous": options.Synchronous = "Off"; break;
            case "Store:BusyTimeout": options.BusyTimeout = TimeSpan.FromSeconds(-1); break;
            case "Store:MaxBatchSize": options.MaxBatchSize = 10_001; break;
            case "Store:WriteQueueCapacity": options.WriteQueueCapacity = 0; break;
            case "Store:Retention": options.Retention = TimeSpan.FromSeconds(30); break;
            case "Store:PurgeInterval": options.PurgeInterval = TimeSpan.Zero; break;
        }

        var error = Assert.Single(options.Validate());

        Assert.StartsWith(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSqlitePath_RelativeIsUnderContentRoot_AbsoluteIsKept()
    {
        var root = Path.Combine(Path.GetTempPath(), "gw");

        Assert.Equal(Path.Combine(root, "data", "cpm-interwork.db"), new StoreOptions().ResolveSqlitePath(root));
        Assert.Equal("/var/lib/gw/store.db", new StoreOptions { Path = "/var/lib/gw/store.db" }.ResolveSqlitePath(root));
    }
}
