using System.Text;
using Cpm.Interwork.Smtp.Client;
using Cpm.Interwork.Smtp.Tests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace Cpm.Interwork.Smtp.Tests;

/// <summary>The client against scripted servers: each script is replayed whole, line by line and
/// byte by byte, and the exact commands the client wrote are asserted.</summary>
public class ClientReplayTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    private const string EhloFull = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n";
    private const string EhloPlain = "250-mx.example\r\n250 SIZE\r\n";
    private static readonly SmtpEndpoint s_relay = new("mx.example", 25, SmtpTlsPolicy.Off);
    private static readonly byte[] s_message = Encoding.ASCII.GetBytes("Subject: t\r\n\r\n.hidden\r\nbody\r\n");
    private static readonly SmtpEnvelope s_envelope = new("+15550100001/TYPE=PLMN@mms.a.example", "+15550100002/TYPE=PLMN@mms.b.example", "+15550100003/TYPE=PLMN@mms.b.example");

    public static TheoryData<ReplayMode> Modes => [ReplayMode.Whole, ReplayMode.LineByLine, ReplayMode.ByteByByte];

    private static async Task<(SmtpSendResult Result, ReplayStream Stream)> Run(ReplayMode mode, SmtpEnvelope envelope, byte[] message, params string[] script)
    {
        var stream = new ReplayStream(mode, script);
        var (connection, failure) = await SmtpClientConnection.HandshakeAsync(stream, s_relay, new SmtpClientOptions { HeloName = "gw.example" }, TimeProvider.System, default);
        if (connection is null) return (failure!, stream);
        await using (connection)
        {
            return (await connection.SendAsync(envelope, message, default), stream);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Rfc2920_pipelining_sends_mail_rcpts_and_data_as_one_group_and_reads_per_recipient_replies(ReplayMode mode)
    {
        var (result, stream) = await Run(mode, s_envelope, s_message,
            Greeting, EhloFull, "250 2.1.0 ok\r\n", "250 2.1.5 ok\r\n", "550 5.1.1 no such user\r\n", "354 go\r\n", "250 2.0.0 queued as X\r\n");
        Assert.Equal(SmtpSendResultKind.PartiallySent, result.Kind);
        Assert.Equal(["+15550100002/TYPE=PLMN@mms.b.example"], result.AcceptedRecipients);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 1, 1), result.Recipients[1].Reply.EnhancedCode);
        Assert.Equal("queued as X", result.FinalReply!.Text);
        Assert.Equal(
            "EHLO gw.example\r\n" +
            "MAIL FROM:<+15550100001/TYPE=PLMN@mms.a.example> SIZE=29\r\nRCPT TO:<+15550100002/TYPE=PLMN@mms.b.example>\r\nRCPT TO:<+15550100003/TYPE=PLMN@mms.b.example>\r\nDATA\r\n" +
            "Subject: t\r\n\r\n..hidden\r\nbody\r\n.\r\n",
            stream.Written);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Without_pipelining_each_command_waits_for_its_reply_and_data_is_dot_stuffed(ReplayMode mode)
    {
        var (result, stream) = await Run(mode, new SmtpEnvelope("a@x.example", "b@y.example"), s_message,
            Greeting, EhloPlain, "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n");
        Assert.Equal(SmtpSendResultKind.Sent, result.Kind);
        Assert.Equal("EHLO gw.example\r\nMAIL FROM:<a@x.example> SIZE=29\r\nRCPT TO:<b@y.example>\r\nDATA\r\nSubject: t\r\n\r\n..hidden\r\nbody\r\n.\r\n", stream.Written);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Rfc5321_3_2_HELO_fallback_when_EHLO_is_refused(ReplayMode mode)
    {
        var (result, stream) = await Run(mode, new SmtpEnvelope("a@x.example", "b@y.example"), s_message,
            Greeting, "500 5.5.1 what\r\n", "250 mx.example\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n");
        Assert.Equal(SmtpSendResultKind.Sent, result.Kind);
        Assert.StartsWith("EHLO gw.example\r\nHELO gw.example\r\nMAIL FROM:<a@x.example>\r\n", stream.Written);
    }

    [Fact]
    public async Task Rfc6152_8bit_content_is_declared_BODY_8BITMIME_when_offered()
    {
        var message = Encoding.UTF8.GetBytes("Subject: t\r\n\r\nGrüße\r\n");
        var (result, stream) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), message,
            Greeting, EhloFull, "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n");
        Assert.Equal(SmtpSendResultKind.Sent, result.Kind);
        Assert.Contains("MAIL FROM:<a@x.example> SIZE=23 BODY=8BITMIME\r\n", stream.Written);
    }

    [Fact]
    public async Task Rfc6152_8bit_content_without_8BITMIME_is_a_local_permanent_failure_and_nothing_is_sent()
    {
        var message = Encoding.UTF8.GetBytes("Subject: t\r\n\r\nGrüße\r\n");
        var (result, stream) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), message, Greeting, EhloPlain);
        Assert.Equal(SmtpSendResultKind.PermanentFailure, result.Kind);
        Assert.True(result.IsLocal);
        Assert.Contains("8BITMIME", result.Error);
        Assert.Equal("EHLO gw.example\r\n", stream.Written);
    }

    [Fact]
    public async Task Rfc1870_a_message_over_the_servers_SIZE_is_refused_before_MAIL()
    {
        var (result, stream) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), new byte[1001], Greeting, EhloFull);
        Assert.Equal(SmtpSendResultKind.PermanentFailure, result.Kind);
        Assert.Contains("SIZE limit of 1000", result.Error);
        Assert.DoesNotContain("MAIL", stream.Written);
    }

    [Fact]
    public async Task A_bare_LF_in_the_message_is_refused_locally()
    {
        var (result, _) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), "a\nb\r\n"u8.ToArray(), Greeting, EhloFull);
        Assert.Equal(SmtpSendResultKind.PermanentFailure, result.Kind);
        Assert.Contains("bare LF at offset 1", result.Error);
    }

    [Theory]
    [InlineData("451 4.3.0 try later\r\n", SmtpSendResultKind.TransientFailure)]
    [InlineData("550 5.7.1 no\r\n", SmtpSendResultKind.PermanentFailure)]
    public async Task Refused_MAIL_is_classified_by_its_code_and_a_354_gets_a_lone_dot(string mailReply, SmtpSendResultKind kind)
    {
        var (result, stream) = await Run(ReplayMode.LineByLine, new SmtpEnvelope("a@x.example", "b@y.example"), s_message,
            Greeting, EhloFull, mailReply, "503 5.5.1 need MAIL\r\n", "354 go on\r\n", "554 5.5.1 no valid recipients\r\n");
        Assert.Equal(kind, result.Kind);
        Assert.Equal(mailReply[..3], result.FinalReply!.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("DATA\r\n.\r\n", stream.Written);
    }

    [Fact]
    public async Task All_recipients_refused_is_transient_when_any_refusal_is_transient()
    {
        var (result, _) = await Run(ReplayMode.Whole, s_envelope, s_message,
            Greeting, EhloFull, "250 ok\r\n", "550 5.1.1 unknown\r\n", "452 4.2.2 mailbox full\r\n", "554 5.5.1 no valid recipients\r\n");
        Assert.Equal(SmtpSendResultKind.TransientFailure, result.Kind);
        Assert.Equal(452, result.FinalReply!.Code);
        Assert.Empty(result.AcceptedRecipients);
        Assert.Equal([550, 452], result.Recipients.Select(r => r.Reply.Code));
    }

    [Theory]
    [InlineData("452 4.3.1 out of storage\r\n", SmtpSendResultKind.TransientFailure)]
    [InlineData("552 5.3.4 too big\r\n", SmtpSendResultKind.PermanentFailure)]
    public async Task The_reply_to_the_end_of_data_decides(string final, SmtpSendResultKind kind)
    {
        var (result, _) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), s_message,
            Greeting, EhloFull, "250 ok\r\n", "250 ok\r\n", "354 go\r\n", final);
        Assert.Equal(kind, result.Kind);
        Assert.Empty(result.AcceptedRecipients);
    }

    [Fact]
    public async Task A_server_closing_mid_transaction_is_a_transient_failure_not_an_exception()
    {
        var (result, _) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), s_message, Greeting, EhloFull, "250 ok\r\n");
        Assert.Equal(SmtpSendResultKind.TransientFailure, result.Kind);
        Assert.Contains("closed the connection", result.Error);
    }

    [Fact]
    public async Task A_greeting_other_than_220_is_a_connect_failure()
    {
        var (result, _) = await Run(ReplayMode.Whole, new SmtpEnvelope("a@x.example", "b@y.example"), s_message, "554 5.7.1 go away\r\n");
        Assert.Equal(SmtpSendResultKind.ConnectFailure, result.Kind);
        Assert.Equal(554, result.FinalReply!.Code);
    }

    [Fact]
    public async Task Rfc3207_Required_TLS_with_a_server_that_does_not_offer_STARTTLS_is_a_connect_failure()
    {
        var stream = new ReplayStream(ReplayMode.Whole, Greeting, EhloFull);
        var (connection, failure) = await SmtpClientConnection.HandshakeAsync(stream, s_relay with { Tls = SmtpTlsPolicy.Required }, new SmtpClientOptions(), TimeProvider.System, default);
        Assert.Null(connection);
        Assert.Equal(SmtpSendResultKind.ConnectFailure, failure!.Kind);
        Assert.Contains("does not offer STARTTLS", failure.Error);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public async Task Rfc3207_data_after_the_STARTTLS_220_is_rejected_as_injection()
    {
        var stream = new ReplayStream(ReplayMode.Whole, Greeting, "250-mx\r\n250 STARTTLS\r\n", "220 go ahead\r\n250 injected\r\n");
        var (connection, failure) = await SmtpClientConnection.HandshakeAsync(stream, s_relay with { Tls = SmtpTlsPolicy.Opportunistic }, new SmtpClientOptions(), TimeProvider.System, default);
        Assert.Null(connection);
        Assert.Contains("after its STARTTLS 220", failure!.Error);
    }

    [Fact]
    public async Task Rfc5321_4_5_3_2_the_DATA_termination_wait_is_10_minutes_by_the_time_provider()
    {
        var time = new FakeTimeProvider();
        var stream = new ReplayStream(ReplayMode.Whole, Greeting, EhloFull, "250 ok\r\n", "250 ok\r\n", "354 go\r\n", ReplayStream.Hang);
        var (connection, _) = await SmtpClientConnection.HandshakeAsync(stream, s_relay, new SmtpClientOptions(), time, default);
        await using var _c = connection!;
        var send = connection!.SendAsync(new SmtpEnvelope("a@x.example", "b@y.example"), s_message, default);
        await Task.Delay(50);
        time.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(50);
        Assert.False(send.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        var result = await send.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SmtpSendResultKind.TransientFailure, result.Kind);
        Assert.Contains("Timed out after 00:10:00", result.Error);
        Assert.False(connection.IsUsable);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws_and_breaks_the_connection()
    {
        var stream = new ReplayStream(ReplayMode.Whole, Greeting, EhloFull, ReplayStream.Hang);
        var (connection, _) = await SmtpClientConnection.HandshakeAsync(stream, s_relay, new SmtpClientOptions(), TimeProvider.System, default);
        await using var _c = connection!;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection!.SendAsync(new SmtpEnvelope("a@x.example", "b@y.example"), s_message, cts.Token));
        Assert.False(connection!.IsUsable);
    }

    [Fact]
    public async Task A_kept_connection_sends_RSET_before_the_next_message_in_the_pipelined_group()
    {
        var stream = new ReplayStream(ReplayMode.ByteByByte, Greeting, EhloFull,
            "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n",
            "250 2.0.0 reset\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n");
        var connections = 0;
        await using var pool = new SmtpClientPool(new SmtpClientOptions { HeloName = "gw.example" }, TimeProvider.System, null,
            (endpoint, options, time, _, ct) => { connections++; return SmtpClientConnection.HandshakeAsync(stream, endpoint, options, time, ct); });
        var envelope = new SmtpEnvelope("a@x.example", "b@y.example");
        var first = await pool.SendAsync(s_relay, envelope, s_message, default);
        Assert.True(first.Kind == SmtpSendResultKind.Sent, stream.Written + first);
        Assert.Equal("Sent: 250 ok", (await pool.SendAsync(s_relay, envelope, s_message, default)).ToString());
        Assert.Equal(1, connections);
        Assert.Contains(".\r\nRSET\r\nMAIL FROM:<a@x.example> SIZE=29\r\nRCPT TO:<b@y.example>\r\nDATA\r\n", stream.Written);
        Assert.Equal(1, pool.IdleConnections(s_relay));
    }

    [Fact]
    public async Task Idle_connections_are_closed_with_QUIT_after_the_idle_timeout()
    {
        var time = new FakeTimeProvider();
        var stream = new ReplayStream(ReplayMode.Whole, Greeting, EhloFull, "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n");
        await using var pool = new SmtpClientPool(new SmtpClientOptions { IdleTimeout = TimeSpan.FromSeconds(60) }, time, null,
            (endpoint, options, t, _, ct) => SmtpClientConnection.HandshakeAsync(stream, endpoint, options, t, ct));
        await pool.SendAsync(s_relay, new SmtpEnvelope("a@x.example", "b@y.example"), s_message, default);
        Assert.Equal(1, pool.IdleConnections(s_relay));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, pool.IdleConnections(s_relay));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, pool.IdleConnections(s_relay));
        for (var i = 0; i < 100 && !stream.Disposed; i++) await Task.Delay(10);
        Assert.EndsWith("QUIT\r\n", stream.Written);
        Assert.True(stream.Disposed);
    }
}
