namespace Cpm.Interwork.Sip.Stack.Client;

/// <summary>States of the non-INVITE client transaction (RFC 3261 §17.1.2.2, Figure 6).</summary>
public enum NonInviteClientState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}

/// <summary>What happens to a non-INVITE client transaction.</summary>
public enum NonInviteClientEvent
{
    TimerE,
    TimerF,
    TimerK,
    Provisional,
    Final,
    TransportError,
}

/// <summary>What the transaction must do after an event (several may combine).</summary>
[Flags]
public enum NonInviteClientActions
{
    None = 0,
    /// <summary>Send the request again (only ever on an unreliable transport).</summary>
    Retransmit = 1,
    /// <summary>Re-arm Timer E with the next interval.</summary>
    ArmTimerE = 2,
    /// <summary>Pass the final response to the TU.</summary>
    ReportFinal = 4,
    /// <summary>Tell the TU the transaction timed out (Timer F).</summary>
    ReportTimeout = 8,
    /// <summary>Tell the TU the transport failed (§17.1.4).</summary>
    ReportTransportError = 16,
    /// <summary>Start Timer K (T4 over UDP, zero over a reliable transport).</summary>
    ArmTimerK = 32,
    /// <summary>Cancel Timers E and F.</summary>
    CancelTimers = 64,
}

/// <summary>
/// RFC 3261 §17.1.2.2 as a table: (state, event) → (next state, actions). Timer E intervals: in Trying it doubles up to
/// T2 (min(2·E, T2)); in Proceeding it is T2. Timer E never fires over a reliable transport (it is not armed).
/// </summary>
public static class NonInviteClientStateTable
{
    public static (NonInviteClientState Next, NonInviteClientActions Actions) Apply(NonInviteClientState state, NonInviteClientEvent e) => (state, e) switch
    {
        (NonInviteClientState.Trying, NonInviteClientEvent.TimerE) => (NonInviteClientState.Trying, NonInviteClientActions.Retransmit | NonInviteClientActions.ArmTimerE),
        (NonInviteClientState.Proceeding, NonInviteClientEvent.TimerE) => (NonInviteClientState.Proceeding, NonInviteClientActions.Retransmit | NonInviteClientActions.ArmTimerE),
        (NonInviteClientState.Trying or NonInviteClientState.Proceeding, NonInviteClientEvent.Provisional) => (NonInviteClientState.Proceeding, NonInviteClientActions.None),
        (NonInviteClientState.Trying or NonInviteClientState.Proceeding, NonInviteClientEvent.Final) =>
            (NonInviteClientState.Completed, NonInviteClientActions.ReportFinal | NonInviteClientActions.CancelTimers | NonInviteClientActions.ArmTimerK),
        (NonInviteClientState.Trying or NonInviteClientState.Proceeding, NonInviteClientEvent.TimerF) =>
            (NonInviteClientState.Terminated, NonInviteClientActions.ReportTimeout | NonInviteClientActions.CancelTimers),
        (NonInviteClientState.Trying or NonInviteClientState.Proceeding, NonInviteClientEvent.TransportError) =>
            (NonInviteClientState.Terminated, NonInviteClientActions.ReportTransportError | NonInviteClientActions.CancelTimers),
        // Completed absorbs retransmitted responses until Timer K.
        (NonInviteClientState.Completed, NonInviteClientEvent.Final or NonInviteClientEvent.Provisional) => (NonInviteClientState.Completed, NonInviteClientActions.None),
        (NonInviteClientState.Completed, NonInviteClientEvent.TimerK) => (NonInviteClientState.Terminated, NonInviteClientActions.None),
        _ => (state, NonInviteClientActions.None),
    };

    /// <summary>The next Timer E interval after <paramref name="current"/> fired (RFC 3261 §17.1.2.2).</summary>
    public static TimeSpan NextTimerE(NonInviteClientState state, TimeSpan current, TimeSpan t2) =>
        state == NonInviteClientState.Proceeding ? t2 : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, t2.Ticks));
}
