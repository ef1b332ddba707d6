using System.Collections.Frozen;

namespace Cpm.Interwork.Sip.Stack.Transactions;

/// <summary>States of the non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8).</summary>
public enum NonInviteServerState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}

/// <summary>What can happen to a non-INVITE server transaction.</summary>
public enum NonInviteServerEvent
{
    /// <summary>The same request arrived again (a client retransmission).</summary>
    RequestRetransmitted,

    /// <summary>Over UDP: the client's Timer E has reached T2 and no final answer exists yet (RFC 4320 §4.1).</summary>
    TryingTimerFired,

    /// <summary>The transaction user (application) passed a final response.</summary>
    FinalFromTu,

    /// <summary>Timer J fired (64·T1 over UDP, immediately over TCP).</summary>
    TimerJFired,

    /// <summary>Sending a response failed at the transport.</summary>
    TransportError,
}

/// <summary>What the transaction does on a transition; several may apply at once.</summary>
[Flags]
public enum NonInviteServerActions
{
    None = 0,

    /// <summary>Send the most recent response again (provisional in Proceeding, final in Completed).</summary>
    ResendLastResponse = 1,

    /// <summary>Send 100 Trying and remember it as the last response.</summary>
    Send100Trying = 2,

    /// <summary>Send the final response passed by the TU and remember it.</summary>
    SendFinal = 4,

    /// <summary>Start Timer J.</summary>
    StartTimerJ = 8,

    /// <summary>Leave the transaction table.</summary>
    Remove = 16,
}

/// <summary>
/// The non-INVITE server transaction as data (RFC 3261 §17.2.2 with the RFC 4320 rule on 100 Trying).
/// A pair missing from the table leaves the state unchanged and does nothing (for example a second final
/// response from the TU in Completed is discarded, as §17.2.2 requires).
/// </summary>
public static class NonInviteServerStateTable
{
    private static readonly FrozenDictionary<(NonInviteServerState, NonInviteServerEvent), (NonInviteServerState, NonInviteServerActions)> s_table =
        new Dictionary<(NonInviteServerState, NonInviteServerEvent), (NonInviteServerState, NonInviteServerActions)>
        {
            // Trying: "any retransmissions of the request received while in the Trying state MUST be discarded".
            [(NonInviteServerState.Trying, NonInviteServerEvent.RequestRetransmitted)] = (NonInviteServerState.Trying, NonInviteServerActions.None),
            [(NonInviteServerState.Trying, NonInviteServerEvent.TryingTimerFired)] = (NonInviteServerState.Proceeding, NonInviteServerActions.Send100Trying),
            [(NonInviteServerState.Trying, NonInviteServerEvent.FinalFromTu)] = (NonInviteServerState.Completed, NonInviteServerActions.SendFinal | NonInviteServerActions.StartTimerJ),
            [(NonInviteServerState.Trying, NonInviteServerEvent.TransportError)] = (NonInviteServerState.Terminated, NonInviteServerActions.Remove),

            // Proceeding: retransmissions are answered with the last provisional response.
            [(NonInviteServerState.Proceeding, NonInviteServerEvent.RequestRetransmitted)] = (NonInviteServerState.Proceeding, NonInviteServerActions.ResendLastResponse),
            [(NonInviteServerState.Proceeding, NonInviteServerEvent.FinalFromTu)] = (NonInviteServerState.Completed, NonInviteServerActions.SendFinal | NonInviteServerActions.StartTimerJ),
            [(NonInviteServerState.Proceeding, NonInviteServerEvent.TransportError)] = (NonInviteServerState.Terminated, NonInviteServerActions.Remove),

            // Completed: retransmissions get the final response again until Timer J fires.
            [(NonInviteServerState.Completed, NonInviteServerEvent.RequestRetransmitted)] = (NonInviteServerState.Completed, NonInviteServerActions.ResendLastResponse),
            [(NonInviteServerState.Completed, NonInviteServerEvent.TimerJFired)] = (NonInviteServerState.Terminated, NonInviteServerActions.Remove),
            [(NonInviteServerState.Completed, NonInviteServerEvent.TransportError)] = (NonInviteServerState.Terminated, NonInviteServerActions.Remove),
        }.ToFrozenDictionary();

    /// <summary>The next state and the actions for <paramref name="event"/> in <paramref name="state"/>.</summary>
    public static (NonInviteServerState Next, NonInviteServerActions Actions) Transition(NonInviteServerState state, NonInviteServerEvent @event) =>
        s_table.TryGetValue((state, @event), out var result) ? result : (state, NonInviteServerActions.None);
}
