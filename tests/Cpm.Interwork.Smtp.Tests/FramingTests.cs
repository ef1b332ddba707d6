using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Cpm.Interwork.Smtp.Framing;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

public class LineReaderTests
{
    private static SmtpLineReader Reader(string text, int chunk, int max = 64) =>
        new(PipeReader.Create(new ChunkedStream(Encoding.ASCII.GetBytes(text), chunk), new StreamPipeReaderOptions(bufferSize: 16, minimumReadSize: 1)), max);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Reads_lines_without_their_endings_in_any_segmentation(int chunk)
    {
        var reader = Reader("EHLO a.example\r\nNOOP\r\nQUIT\n", chunk);
        Assert.Equal("EHLO a.example", Encoding.ASCII.GetString((await reader.ReadLineAsync(default)).Content.Span));
        Assert.Equal("NOOP", Encoding.ASCII.GetString((await reader.ReadLineAsync(default)).Content.Span));
        Assert.Equal("QUIT", Encoding.ASCII.GetString((await reader.ReadLineAsync(default)).Content.Span));
        Assert.Equal(SmtpLineStatus.EndOfStream, (await reader.ReadLineAsync(default)).Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task A_line_over_the_limit_is_skipped_whole_and_the_next_line_is_read(int chunk)
    {
        var reader = Reader(new string('x', 500) + "\r\nNOOP\r\n", chunk, max: 64);
        Assert.Equal(SmtpLineStatus.TooLong, (await reader.ReadLineAsync(default)).Status);
        var next = await reader.ReadLineAsync(default);
        Assert.Equal(SmtpLineStatus.Line, next.Status);
        Assert.Equal("NOOP", Encoding.ASCII.GetString(next.Content.Span));
    }

    [Fact]
    public async Task The_limit_counts_the_CRLF_as_RFC_5321_does()
    {
        var reader = Reader(new string('x', 62) + "\r\n" + new string('y', 63) + "\r\n", 4096, max: 64);
        Assert.Equal(SmtpLineStatus.Line, (await reader.ReadLineAsync(default)).Status);
        Assert.Equal(SmtpLineStatus.TooLong, (await reader.ReadLineAsync(default)).Status);
    }

    [Fact]
    public async Task Reports_pipelined_input_still_buffered()
    {
        var reader = Reader("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n", 4096);
        await reader.ReadLineAsync(default);
        Assert.True(reader.HasBufferedData);
        await reader.ReadLineAsync(default);
        Assert.False(reader.HasBufferedData);
    }
}

public class DataReaderTests
{
    private static async Task<(SmtpDataReadResult Result, string Data, PipeReader Reader)> Read(string wire, int chunk, long max = 1 << 20)
    {
        var reader = PipeReader.Create(new ChunkedStream(Encoding.Latin1.GetBytes(wire), chunk), new StreamPipeReaderOptions(bufferSize: 16, minimumReadSize: 1));
        var buffer = new SmtpMessageBuffer(max, 16);
        var result = await SmtpDataReader.ReadAsync(reader, buffer, null, default);
        return (result, Encoding.Latin1.GetString(buffer.Written.Span), reader);
    }

    private static async Task<string> ReadRest(PipeReader reader)
    {
        while (true)
        {
            var rest = await reader.ReadAsync();
            if (rest.IsCompleted) return Encoding.ASCII.GetString(rest.Buffer.ToArray());
            reader.AdvanceTo(rest.Buffer.Start, rest.Buffer.End);
        }
    }

    public static TheoryData<int> Chunks => [1, 2, 3, 5, 4096];

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task Rfc5321_4_5_2_removes_the_leading_dot_and_stops_at_CRLF_dot_CRLF(int chunk)
    {
        var (result, data, reader) = await Read("Subject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n", chunk);
        Assert.Equal(SmtpDataStatus.Complete, result.Status);
        Assert.Equal("Subject: x\r\n\r\n.leading dot\r\n", data);
        // The pipelined command after the terminator stays for the command reader.
        Assert.Equal("QUIT\r\n", await ReadRest(reader));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task A_bare_LF_dot_is_content_not_the_end_smuggling_guard(int chunk)
    {
        var (result, data, _) = await Read("a\n.\nMAIL FROM:<x@y>\r\nb\n.\r\nc\r\n.\r\n", chunk);
        Assert.Equal(SmtpDataStatus.Complete, result.Status);
        Assert.Equal("a\n.\nMAIL FROM:<x@y>\r\nb\n.\r\nc\r\n", data);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task Dot_CR_not_followed_by_LF_keeps_the_CR(int chunk)
    {
        var (result, data, _) = await Read(".\rx\r\n.\r\n", chunk);
        Assert.Equal(SmtpDataStatus.Complete, result.Status);
        Assert.Equal("\rx\r\n", data);
    }

    [Fact]
    public async Task An_empty_message_is_just_the_terminator()
    {
        var (result, data, _) = await Read(".\r\n", 4096);
        Assert.Equal(SmtpDataStatus.Complete, result.Status);
        Assert.Equal("", data);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task Over_the_cap_the_rest_is_counted_and_discarded_until_the_terminator(int chunk)
    {
        var body = string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 100));
        var (result, data, reader) = await Read(body + ".\r\nRSET\r\n", chunk, max: 100);
        Assert.Equal(SmtpDataStatus.TooLarge, result.Status);
        Assert.Equal(body.Length, result.Length);
        Assert.True(data.Length <= 100);
        Assert.Equal("RSET\r\n", await ReadRest(reader));
    }

    [Fact]
    public async Task The_stream_ending_before_the_terminator_is_reported()
    {
        var (result, _, _) = await Read("Subject: x\r\n\r\nbody\r\n", 4096);
        Assert.Equal(SmtpDataStatus.EndOfStream, result.Status);
    }
}

public class DotStuffingTests
{
    private static string Stuff(string message)
    {
        var writer = new ArrayBufferWriter<byte>();
        SmtpDotStuffing.Write(Encoding.Latin1.GetBytes(message), writer);
        return Encoding.Latin1.GetString(writer.WrittenSpan);
    }

    [Fact]
    public void Doubles_a_dot_at_the_start_of_every_line_and_terminates()
    {
        Assert.Equal("..a\r\nb.\r\n..\r\n...x\r\n.\r\n", Stuff(".a\r\nb.\r\n.\r\n..x\r\n"));
    }

    [Fact]
    public void Adds_the_missing_final_CRLF_before_the_terminator()
    {
        Assert.Equal("abc\r\n.\r\n", Stuff("abc"));
    }

    [Theory]
    [InlineData("a\r\n.\r\n..\r\nb\r\n")]
    [InlineData(".\r\n")]
    [InlineData("x\r\n.y\r\n")]
    public async Task What_the_client_stuffs_the_server_unstuffs_to_the_same_bytes(string message)
    {
        var reader = PipeReader.Create(new ChunkedStream(Encoding.Latin1.GetBytes(Stuff(message)), 1));
        var buffer = new SmtpMessageBuffer(1 << 20);
        var result = await SmtpDataReader.ReadAsync(reader, buffer, null, default);
        Assert.Equal(SmtpDataStatus.Complete, result.Status);
        Assert.Equal(message, Encoding.Latin1.GetString(buffer.Written.Span));
    }

    [Fact]
    public void Finds_a_bare_LF()
    {
        Assert.Equal(-1, SmtpDotStuffing.IndexOfBareLineFeed("a\r\nb\r\n"u8));
        Assert.Equal(4, SmtpDotStuffing.IndexOfBareLineFeed("a\r\nb\nc"u8));
        Assert.Equal(0, SmtpDotStuffing.IndexOfBareLineFeed("\n"u8));
    }
}

public class ReplyReaderTests
{
    private static SmtpReplyReader Reader(string text, int chunk) =>
        new(new SmtpLineReader(PipeReader.Create(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk)), 2048));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Rfc5321_4_2_1_multiline_reply_is_one_reply(int chunk)
    {
        var reader = Reader("250-mx.example greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n", chunk);
        var reply = await reader.ReadReplyAsync(default);
        Assert.Equal(250, reply.Code);
        Assert.Equal(["mx.example greets you", "PIPELINING", "SIZE 1000", "8BITMIME"], reply.Lines);
        Assert.Null(reply.EnhancedCode);
    }

    [Fact]
    public async Task Rfc3463_enhanced_code_is_parsed_and_removed_from_the_text()
    {
        var reply = await Reader("550-5.7.1 Relay denied\r\n550 5.7.1 Go away\r\n", 4096).ReadReplyAsync(default);
        Assert.Equal(550, reply.Code);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 7, 1), reply.EnhancedCode);
        Assert.Equal(["Relay denied", "Go away"], reply.Lines);
        Assert.True(reply.IsPermanentNegative);
    }

    [Fact]
    public async Task An_enhanced_code_of_another_class_than_the_reply_is_just_text()
    {
        var reply = await Reader("250 5.0.0 odd\r\n", 4096).ReadReplyAsync(default);
        Assert.Null(reply.EnhancedCode);
        Assert.Equal("5.0.0 odd", reply.Text);
    }

    [Fact]
    public async Task A_code_alone_is_a_reply_with_empty_text()
    {
        var reply = await Reader("354\r\n", 4096).ReadReplyAsync(default);
        Assert.Equal(354, reply.Code);
        Assert.Equal("", reply.Text);
    }

    [Theory]
    [InlineData("250-a\r\n251 b\r\n")]
    [InlineData("2x0 bad\r\n")]
    [InlineData("250_x\r\n")]
    [InlineData("650 six\r\n")]
    [InlineData("250-never ends\r\n")]
    public async Task A_malformed_or_truncated_reply_is_a_protocol_error(string text)
    {
        await Assert.ThrowsAsync<SmtpProtocolException>(() => Reader(text, 4096).ReadReplyAsync(default).AsTask());
    }

    [Fact]
    public void Writes_every_line_with_the_enhanced_code()
    {
        var reply = new SmtpReply(452, new(4, 5, 3), "Too many", "recipients");
        Assert.Equal("452-4.5.3 Too many\r\n452 4.5.3 recipients\r\n", Encoding.ASCII.GetString(reply.ToBytes()));
    }

    [Fact]
    public void Reply_text_cannot_inject_a_line_break()
    {
        var reply = new SmtpReply(250, "ok\r\n250 fake");
        Assert.Equal("250 ok  250 fake\r\n", Encoding.ASCII.GetString(reply.ToBytes()));
    }
}
