namespace Cpm.Interwork.Store;

/// <summary>The state machine of a work item, as data.</summary>
public static class WorkStateRules
{
    // Rows: from-state; columns: to-state (Pending, Retrying, AwaitingResponse, Completed, Failed, Expired).
    // Terminal states may only move to terminal states, so a late outcome can be recorded
    // (e.g. Expired → Completed when a late MM4_forward.RES arrives) but a finished item is
    // never sent again.
    private static readonly bool[,] s_allowed =
    {
        //               Pend   Retry  Await  Compl  Fail   Expir
        /* Pending */  { true,  true,  true,  true,  true,  true },
        /* Retrying */ { false, true,  true,  true,  true,  true },
        /* Awaiting */ { false, true,  true,  true,  true,  true },
        /* Completed */{ false, false, false, true,  true,  true },
        /* Failed */   { false, false, false, true,  true,  true },
        /* Expired */  { false, false, false, true,  true,  true },
    };

    public static bool IsTerminal(this WorkState state) =>
        state is WorkState.Completed or WorkState.Failed or WorkState.Expired;

    public static bool IsActive(this WorkState state) => IsDefined(state) && !state.IsTerminal();

    public static bool IsDefined(WorkState state) => state is >= WorkState.Pending and <= WorkState.Expired;

    /// <summary>Whether an update may move an item from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanTransition(WorkState from, WorkState to) =>
        IsDefined(from) && IsDefined(to) && s_allowed[(int)from, (int)to];
}
