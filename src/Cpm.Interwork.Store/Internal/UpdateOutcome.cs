namespace Cpm.Interwork.Store.Internal;

internal static class UpdateOutcome
{
    /// <summary>Why a conditional update touched no row, given the row as it is now.</summary>
    public static UpdateResult Classify(WorkItem? current, long expectedVersion) =>
        current is null ? new UpdateResult(UpdateStatus.NotFound, null)
        : current.Version != expectedVersion ? new UpdateResult(UpdateStatus.Conflict, current)
        : new UpdateResult(UpdateStatus.InvalidTransition, current);
}
