namespace Cpm.Interwork.Sip.Stack.Client;

/// <summary>
/// One RFC 3261 §17.1.2.2 non-INVITE client transaction driven by <see cref="NonInviteClientStateTable"/>; timers from
/// the injected <see cref="TimeProvider"/>. Timer E (retransmission) runs only over UDP; Timer F = 64·T1 ends the
/// transaction with a timeout; Timer K (T4 over UDP, 0 over TCP) absorbs response retransmissions.
/// </summary>
public sealed class NonInviteClientTransaction : IDisposable
{
    private readonly object _lock = new();
    private readonly byte[] _request;
    private readonly Func<byte[], bool> _send;
    private readonly TimeProvider _time;
    private readonly SipClientOptions _options;
    private readonly TaskCompletionSource<SipClientResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<NonInviteClientTransaction>? _terminated;
    private ITimer? _timerE;
    private ITimer? _timerF;
    private ITimer? _timerK;
    private TimeSpan _intervalE;

    /// <param name="send">Writes the request on the transport; false when the transport failed.</param>
    /// <param name="terminated">Called once when the transaction reaches Terminated (to drop it from the table).</param>
    public NonInviteClientTransaction(string branch, byte[] request, SipClientTransport transport, Func<byte[], bool> send, TimeProvider time, SipClientOptions options, Action<NonInviteClientTransaction>? terminated = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        Branch = branch;
        _request = request;
        Transport = transport;
        _send = send;
        _time = time;
        _options = options;
        _terminated = terminated;
        _intervalE = options.T1;
    }

    public string Branch { get; }

    public SipClientTransport Transport { get; }

    public NonInviteClientState State { get; private set; } = NonInviteClientState.Trying;

    /// <summary>Times the request was written (the first send included).</summary>
    public int Transmissions { get; private set; }

    public Task<SipClientResult> Result => _result.Task;

    /// <summary>Sends the request and starts Timers E (UDP only) and F.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _timerF = _time.CreateTimer(_ => Fire(NonInviteClientEvent.TimerF), null, _options.TimerF, Timeout.InfiniteTimeSpan);
            if (Transport == SipClientTransport.Udp)
            {
                _timerE = _time.CreateTimer(_ => Fire(NonInviteClientEvent.TimerE), null, _intervalE, Timeout.InfiniteTimeSpan);
            }
        }

        if (!Transmit())
        {
            Fire(NonInviteClientEvent.TransportError, error: "send failed");
        }
    }

    /// <summary>A response whose top Via branch matched this transaction.</summary>
    public void OnResponse(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Fire(response.StatusCode < 200 ? NonInviteClientEvent.Provisional : NonInviteClientEvent.Final, response);
    }

    /// <summary>The connection carrying the request failed (RFC 3261 §17.1.4).</summary>
    public void OnTransportError(string error) => Fire(NonInviteClientEvent.TransportError, error: error);

    private bool Transmit()
    {
        lock (_lock) { Transmissions++; }
        return _send(_request);
    }

    private void Fire(NonInviteClientEvent e, SipResponse? response = null, string? error = null)
    {
        NonInviteClientActions actions;
        bool terminatedNow;
        lock (_lock)
        {
            var before = State;
            (State, actions) = NonInviteClientStateTable.Apply(State, e);
            terminatedNow = before != NonInviteClientState.Terminated && State == NonInviteClientState.Terminated;
            if ((actions & NonInviteClientActions.CancelTimers) != 0)
            {
                _timerE?.Dispose();
                _timerF?.Dispose();
                _timerE = _timerF = null;
            }

            if ((actions & NonInviteClientActions.ArmTimerE) != 0 && _timerE is not null)
            {
                _intervalE = NonInviteClientStateTable.NextTimerE(State, _intervalE, _options.T2);
                _timerE.Change(_intervalE, Timeout.InfiniteTimeSpan);
            }

            if ((actions & NonInviteClientActions.ArmTimerK) != 0)
            {
                var k = Transport == SipClientTransport.Udp ? _options.T4 : TimeSpan.Zero;
                if (k == TimeSpan.Zero)
                {
                    State = NonInviteClientState.Terminated;
                    terminatedNow = true;
                }
                else
                {
                    _timerK = _time.CreateTimer(_ => Fire(NonInviteClientEvent.TimerK), null, k, Timeout.InfiniteTimeSpan);
                }
            }
        }

        if ((actions & NonInviteClientActions.Retransmit) != 0)
        {
            _ = Transmit(); // a failed retransmission is not fatal over UDP; Timer F bounds the transaction
        }

        if ((actions & NonInviteClientActions.ReportFinal) != 0)
        {
            _result.TrySetResult(new SipClientResult(SipClientOutcome.Response, response, null, Transport));
        }
        else if ((actions & NonInviteClientActions.ReportTimeout) != 0)
        {
            _result.TrySetResult(new SipClientResult(SipClientOutcome.Timeout, null, "Timer F", Transport));
        }
        else if ((actions & NonInviteClientActions.ReportTransportError) != 0)
        {
            _result.TrySetResult(new SipClientResult(SipClientOutcome.TransportError, null, error, Transport));
        }

        if (terminatedNow)
        {
            Dispose();
            _terminated?.Invoke(this);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timerE?.Dispose();
            _timerF?.Dispose();
            _timerK?.Dispose();
            _timerE = _timerF = _timerK = null;
        }
    }
}
