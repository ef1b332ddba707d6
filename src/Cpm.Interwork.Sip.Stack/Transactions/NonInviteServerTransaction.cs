using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging;

namespace Cpm.Interwork.Sip.Stack.Transactions;

/// <summary>
/// One non-INVITE server transaction (RFC 3261 §17.2.2, RFC 4320). Transitions come from
/// <see cref="NonInviteServerStateTable"/>; timers from the injected <see cref="TimeProvider"/>.
/// Over UDP a 100 Trying is sent only once the client's Timer E has reached T2 with no final answer yet;
/// over TCP no 100 Trying is ever sent (it would not stop a retransmission, there is none). Timer J is
/// 64·T1 over UDP and zero over TCP.
/// </summary>
public sealed class NonInviteServerTransaction : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ISipResponseSink _sink;
    private readonly Func<ReadOnlyMemory<byte>> _build100Trying;
    private readonly SipStackOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<NonInviteServerTransaction> _onTerminated;
    private readonly Action<string, int>? _onResponseSent;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _tryingTimer;
    private ITimer? _timerJ;
    private ReadOnlyMemory<byte> _lastResponse;
    private volatile int _state = (int)NonInviteServerState.Trying;

    public NonInviteServerTransaction(
        SipTransactionKey key,
        string method,
        ISipResponseSink sink,
        Func<ReadOnlyMemory<byte>> build100Trying,
        SipStackOptions options,
        TimeProvider time,
        Action<NonInviteServerTransaction> onTerminated,
        Action<string, int>? onResponseSent,
        ILogger logger)
    {
        Key = key;
        Method = method;
        _sink = sink;
        _build100Trying = build100Trying;
        _options = options;
        _time = time;
        _onTerminated = onTerminated;
        _onResponseSent = onResponseSent;
        _logger = logger;
        CreatedAt = time.GetTimestamp();
    }

    public SipTransactionKey Key { get; }

    public string Method { get; }

    public SipTransportKind Transport => _sink.Transport;

    /// <summary>The timestamp (of the transaction's TimeProvider) when the request arrived.</summary>
    public long CreatedAt { get; }

    public NonInviteServerState State => (NonInviteServerState)_state;

    /// <summary>Completes once a final response has been sent (or the transaction terminated without one).</summary>
    public Task Answered => _answered.Task;

    /// <summary>Arms the RFC 4320 100-Trying timer (UDP only). Call once after creation.</summary>
    public void Start()
    {
        if (_sink.Transport == SipTransportKind.Udp)
        {
            _tryingTimer = _time.CreateTimer(
                static s => ((NonInviteServerTransaction)s!).FireFromTimer(NonInviteServerEvent.TryingTimerFired),
                this,
                _options.UdpTryingDelay,
                Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A retransmission of the request arrived.</summary>
    public Task OnRetransmissionAsync(CancellationToken cancellationToken) =>
        ApplyAsync(NonInviteServerEvent.RequestRetransmitted, default, 0, cancellationToken);

    /// <summary>The TU's final response. False when a final response had already been sent (this one is discarded).</summary>
    public Task<bool> SendFinalAsync(ReadOnlyMemory<byte> response, int statusCode, CancellationToken cancellationToken) =>
        ApplyAsync(NonInviteServerEvent.FinalFromTu, response, statusCode, cancellationToken);

    public void Dispose()
    {
        _tryingTimer?.Dispose();
        _timerJ?.Dispose();
        _gate.Dispose();
    }

    private void FireFromTimer(NonInviteServerEvent @event) =>
        _ = FireAsync(@event);

    private async Task FireAsync(NonInviteServerEvent @event)
    {
        try
        {
            await ApplyAsync(@event, default, 0, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The transaction ended while the timer was firing.
        }
#pragma warning disable CA1031 // a timer callback must never take the process down; the fault is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipStackLog.TimerEventFailed(_logger, ex, Key, @event);
        }
    }

    private async Task<bool> ApplyAsync(NonInviteServerEvent @event, ReadOnlyMemory<byte> final, int finalStatus, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var accepted = false;
            NonInviteServerEvent? pending = @event;
            while (pending is { } current)
            {
                pending = null;
                var (next, actions) = NonInviteServerStateTable.Transition((NonInviteServerState)_state, current);
                if (current == NonInviteServerEvent.FinalFromTu && (actions & NonInviteServerActions.SendFinal) != 0)
                {
                    accepted = true;
                }

                _state = (int)next;
                var sent = true;
                if ((actions & NonInviteServerActions.Send100Trying) != 0)
                {
                    _lastResponse = _build100Trying();
                    sent = await SendAsync(_lastResponse, 100, cancellationToken).ConfigureAwait(false);
                }

                if ((actions & NonInviteServerActions.SendFinal) != 0)
                {
                    _tryingTimer?.Dispose();
                    _lastResponse = final;
                    sent = await SendAsync(final, finalStatus, cancellationToken).ConfigureAwait(false);
                    _answered.TrySetResult();
                }

                if ((actions & NonInviteServerActions.ResendLastResponse) != 0 && !_lastResponse.IsEmpty)
                {
                    sent = await _sink.SendAsync(_lastResponse, cancellationToken).ConfigureAwait(false);
                }

                if (!sent)
                {
                    pending = NonInviteServerEvent.TransportError;
                    continue;
                }

                if ((actions & NonInviteServerActions.StartTimerJ) != 0)
                {
                    var timerJ = _options.TimerJ(_sink.Transport);
                    if (timerJ <= TimeSpan.Zero)
                    {
                        pending = NonInviteServerEvent.TimerJFired;
                        continue;
                    }

                    _timerJ = _time.CreateTimer(
                        static s => ((NonInviteServerTransaction)s!).FireFromTimer(NonInviteServerEvent.TimerJFired),
                        this,
                        timerJ,
                        Timeout.InfiniteTimeSpan);
                }

                if ((actions & NonInviteServerActions.Remove) != 0)
                {
                    _tryingTimer?.Dispose();
                    _timerJ?.Dispose();
                    _answered.TrySetResult();
                    _onTerminated(this);
                }
            }

            return accepted;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> response, int statusCode, CancellationToken cancellationToken)
    {
        var sent = await _sink.SendAsync(response, cancellationToken).ConfigureAwait(false);
        if (sent)
        {
            _onResponseSent?.Invoke(Method, statusCode);
        }

        return sent;
    }
}
