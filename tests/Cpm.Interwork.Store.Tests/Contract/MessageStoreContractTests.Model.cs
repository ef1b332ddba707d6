using FsCheck.Fluent;

namespace Cpm.Interwork.Store.Tests.Contract;

/// <summary>
/// Model-based check: random sequences of inserts (with repeated keys), leases, updates (current
/// or stale version, any target state) and clock moves must give the same answers from the store
/// as from a few lines of in-memory model.
/// </summary>
public abstract partial class MessageStoreContractTests
{
    private abstract record Step;

    private sealed record InsertStep(int Key) : Step;

    private sealed record LeaseStep(int Max) : Step;

    private sealed record UpdateStep(int Key, WorkState Target, bool Stale, int RetryInSeconds) : Step;

    private sealed record AdvanceStep(int Seconds) : Step;

    private sealed class ModelItem
    {
        public long Id;
        public WorkState State;
        public long Version;
        public DateTimeOffset NextAttemptAt;
        public DateTimeOffset? LeaseUntil;
    }

    [Fact]
    public async Task Model_RandomOperationSequences_MatchAnInMemoryModel()
    {
        var step = Gen.OneOf(
            Gen.Choose(0, 5).Select(k => (Step)new InsertStep(k)),
            Gen.Choose(1, 3).Select(m => (Step)new LeaseStep(m)),
            Gen.Choose(0, 5).Zip(Gen.Choose(0, 5)).Zip(Gen.Choose(0, 3).Zip(Gen.Choose(0, 40)))
                .Select(t => (Step)new UpdateStep(t.Item1.Item1, (WorkState)t.Item1.Item2, t.Item2.Item1 == 0, t.Item2.Item2)),
            Gen.Choose(0, 45).Select(s => (Step)new AdvanceStep(s)));
        var sequences = Gen.ListOf(step, 30).Sample(20, 15);

        var run = 0;
        foreach (var sequence in sequences)
        {
            await RunModelSequenceAsync("m" + run++ + "-", sequence);
        }
    }

    private async Task RunModelSequenceAsync(string prefix, IEnumerable<Step> sequence)
    {
        var model = new Dictionary<int, ModelItem>();
        var log = new List<string>();
        foreach (var step in sequence)
        {
            log.Add(step.ToString()!);
            var trace = string.Join(" → ", log);
            var now = Time.GetUtcNow();
            switch (step)
            {
                case InsertStep insert:
                {
                    var result = await Store.InsertAsync(Forward(prefix + insert.Key) with { ExpiresAt = now.AddYears(1) }, default);
                    if (model.TryGetValue(insert.Key, out var known))
                    {
                        Assert.False(result.Created, trace);
                        Assert.Equal(known.Id, result.Item.Id);
                    }
                    else
                    {
                        Assert.True(result.Created, trace);
                        model[insert.Key] = new ModelItem { Id = result.Item.Id, State = WorkState.Pending, Version = result.Item.Version, NextAttemptAt = now };
                    }

                    break;
                }

                case LeaseStep lease:
                {
                    var expected = model.Values
                        .Where(m => m.State.IsActive() && m.NextAttemptAt <= now && (m.LeaseUntil is null || m.LeaseUntil <= now))
                        .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
                        .Take(lease.Max)
                        .ToList();
                    var leased = await Store.TryLeaseDueAsync(Lease("model", lease.Max, 30), default);
                    Assert.True(expected.Select(m => m.Id).SequenceEqual(leased.Select(i => i.Id)), trace);
                    foreach (var m in expected)
                    {
                        m.Version++;
                        m.LeaseUntil = now.AddSeconds(30);
                    }

                    break;
                }

                case UpdateStep update when model.TryGetValue(update.Key, out var m):
                {
                    var current = (await Store.GetAsync(m.Id, default))!;
                    var version = update.Stale ? m.Version - 1 : m.Version;
                    var result = await Store.UpdateAsync(current with { State = update.Target, NextAttemptAt = now.AddSeconds(update.RetryInSeconds) }, version, default);
                    var expected = update.Stale ? UpdateStatus.Conflict
                        : WorkStateRules.CanTransition(m.State, update.Target) ? UpdateStatus.Updated
                        : UpdateStatus.InvalidTransition;
                    Assert.True(expected == result.Status, $"expected {expected}, got {result.Status}: {trace}");
                    if (expected == UpdateStatus.Updated)
                    {
                        m.State = update.Target;
                        m.Version++;
                        m.NextAttemptAt = now.AddSeconds(update.RetryInSeconds);
                        m.LeaseUntil = null;
                    }

                    break;
                }

                case AdvanceStep advance:
                    Time.Advance(TimeSpan.FromSeconds(advance.Seconds));
                    break;
            }
        }

        // Next sequence starts empty: every item carries an expiry, so a purge far enough ahead removes all.
        await Store.PurgeAsync(Time.GetUtcNow().AddYears(2), default);
        Assert.Empty(await Store.CountByStateAsync(default));
    }
}
