namespace Cpm.Interwork.Store.Tests.Contract;

public abstract partial class MessageStoreContractTests
{
    [Fact]
    public async Task Update_WithCurrentVersion_WritesFieldsReleasesLeaseAndBumpsVersion()
    {
        await Store.InsertAsync(Forward("u1"), default);
        var leased = Assert.Single(await Store.TryLeaseDueAsync(Lease("w"), default));
        Time.Advance(TimeSpan.FromSeconds(2));
        var retryAt = Time.GetUtcNow().AddSeconds(10);
        var expires = Time.GetUtcNow().AddHours(1);

        var result = await Store.UpdateAsync(
            leased with { State = WorkState.Retrying, Attempts = 1, NextAttemptAt = retryAt, ExpiresAt = expires, StatusCode = 451, StatusText = "4.3.0 try later" },
            leased.Version,
            default);

        Assert.Equal(UpdateStatus.Updated, result.Status);
        var updated = result.Item!;
        Assert.Equal(WorkState.Retrying, updated.State);
        Assert.Equal(1, updated.Attempts);
        Assert.Equal(retryAt, updated.NextAttemptAt);
        Assert.Equal(expires, updated.ExpiresAt);
        Assert.Equal(451, updated.StatusCode);
        Assert.Equal("4.3.0 try later", updated.StatusText);
        Assert.Null(updated.LeaseOwner);
        Assert.Null(updated.LeaseUntil);
        Assert.Null(updated.CompletedAt);
        Assert.Equal(Time.GetUtcNow(), updated.UpdatedAt);
        Assert.Equal(leased.Version + 1, updated.Version);
        Assert.Equal(Scalars(updated), Scalars((await Store.GetAsync(updated.Id, default))!));
    }

    [Fact]
    public async Task Update_WithStaleVersion_IsAConflictAndChangesNothing()
    {
        var item = (await Store.InsertAsync(Forward("u2"), default)).Item;
        var first = await Store.UpdateAsync(item with { State = WorkState.AwaitingResponse }, item.Version, default);

        var second = await Store.UpdateAsync(item with { State = WorkState.Failed, StatusText = "late writer" }, item.Version, default);

        Assert.Equal(UpdateStatus.Conflict, second.Status);
        Assert.Equal(Scalars(first.Item!), Scalars(second.Item!));
        Assert.Equal(WorkState.AwaitingResponse, (await Store.GetAsync(item.Id, default))!.State);
    }

    [Fact]
    public async Task Update_ConcurrentWritersOnOneVersion_ExactlyOneWins()
    {
        var item = (await Store.InsertAsync(Forward("u3"), default)).Item;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            Store.UpdateAsync(item with { State = WorkState.Completed, StatusCode = 200 + i }, item.Version, default))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(UpdateStatus.Conflict, r.Status));
        Assert.Equal(winner.Item!.StatusCode, (await Store.GetAsync(item.Id, default))!.StatusCode);
    }

    [Fact]
    public async Task Update_FinishedItem_CannotBecomeActiveAgain()
    {
        var item = (await Store.InsertAsync(Forward("u4"), default)).Item;
        var done = (await Store.UpdateAsync(item with { State = WorkState.Completed, StatusCode = 200, StatusText = "Ok" }, item.Version, default)).Item!;

        var reopen = await Store.UpdateAsync(done with { State = WorkState.Pending }, done.Version, default);
        var retry = await Store.UpdateAsync(done with { State = WorkState.Retrying }, done.Version, default);

        Assert.Equal(UpdateStatus.InvalidTransition, reopen.Status);
        Assert.Equal(UpdateStatus.InvalidTransition, retry.Status);
        Assert.Equal(WorkState.Completed, retry.Item!.State);
        Assert.Empty(await Store.TryLeaseDueAsync(Lease("w"), default));
    }

    [Fact]
    public async Task Update_LateOutcomeOnExpiredItem_IsRecordedAndKeepsFirstCompletionTime()
    {
        var item = (await Store.InsertAsync(Forward("u5"), default)).Item;
        var expired = (await Store.UpdateAsync(item with { State = WorkState.Expired }, item.Version, default)).Item!;
        var expiredAt = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(3));

        var late = await Store.UpdateAsync(expired with { State = WorkState.Completed, StatusCode = 200, StatusText = "Ok" }, expired.Version, default);

        Assert.Equal(UpdateStatus.Updated, late.Status);
        Assert.Equal(WorkState.Completed, late.Item!.State);
        Assert.Equal("Ok", late.Item.StatusText);
        Assert.Equal(expiredAt, late.Item.CompletedAt);
    }

    [Fact]
    public async Task Update_RetryingItemBackToPending_IsRefused()
    {
        var item = (await Store.InsertAsync(Forward("u6"), default)).Item;
        var retrying = (await Store.UpdateAsync(item with { State = WorkState.Retrying }, item.Version, default)).Item!;

        var result = await Store.UpdateAsync(retrying with { State = WorkState.Pending }, retrying.Version, default);

        Assert.Equal(UpdateStatus.InvalidTransition, result.Status);
    }

    [Fact]
    public async Task Update_PurgedItem_IsNotFound()
    {
        var item = (await Store.InsertAsync(Forward("u7"), default)).Item;

        var result = await Store.UpdateAsync(item with { Id = item.Id + 1000 }, item.Version, default);

        Assert.Equal(UpdateStatus.NotFound, result.Status);
        Assert.Null(result.Item);
    }
}
