using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cpm.Interwork.Store.Tests;

public sealed class WorkStateRulesTests
{
    private static readonly WorkState[] s_states = Enum.GetValues<WorkState>();

    [Fact]
    public void ActiveStates_ArePendingRetryingAndAwaitingResponse()
    {
        Assert.Equal([WorkState.Pending, WorkState.Retrying, WorkState.AwaitingResponse], s_states.Where(s => s.IsActive()));
        Assert.Equal([WorkState.Completed, WorkState.Failed, WorkState.Expired], s_states.Where(s => s.IsTerminal()));
    }

    [Property]
    public Property FinishedItems_NeverBecomeActiveAgain() =>
        Prop.ForAll(Gen.Elements(s_states).Two().ToArbitrary(), pair =>
            !(pair.Item1.IsTerminal() && pair.Item2.IsActive()) || !WorkStateRules.CanTransition(pair.Item1, pair.Item2));

    [Property]
    public Property EveryStateMayRecordAFinalOutcome() =>
        Prop.ForAll(Gen.Elements(s_states).ToArbitrary(), from =>
            s_states.Where(s => s.IsTerminal()).All(to => WorkStateRules.CanTransition(from, to)));

    [Fact]
    public void OnlyPendingMayStayPending_AndUndefinedStatesAreRefused()
    {
        Assert.Equal([WorkState.Pending], s_states.Where(s => WorkStateRules.CanTransition(s, WorkState.Pending)));
        Assert.False(WorkStateRules.CanTransition((WorkState)9, WorkState.Completed));
        Assert.False(WorkStateRules.CanTransition(WorkState.Pending, (WorkState)(-1)));
    }
}
