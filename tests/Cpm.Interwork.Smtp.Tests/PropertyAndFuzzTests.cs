using System.Buffers;
using System.IO.Pipelines;
using Cpm.Interwork.Smtp.Framing;
using Cpm.Interwork.Smtp.Server;
using Cpm.Interwork.Smtp.Tests.Harness;

namespace Cpm.Interwork.Smtp.Tests;

public class DotStuffingProperties
{
    /// <summary>Any CRLF message (lines of any bytes but CR/LF, any leading dots) survives
    /// stuffing by the client and un-stuffing by the server unchanged, in any segmentation.</summary>
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Stuffed_then_unstuffed_is_the_same_message(byte[][] lines, byte dots, byte chunk)
    {
        var message = new List<byte>();
        foreach (var (line, i) in (lines ?? []).Select((l, i) => (l ?? [], i)))
        {
            if (((dots >> (i % 8)) & 1) == 1) message.Add((byte)'.');
            message.AddRange(line.Where(b => b is not ((byte)'\r' or (byte)'\n')));
            message.AddRange("\r\n"u8.ToArray());
        }

        var writer = new ArrayBufferWriter<byte>();
        SmtpDotStuffing.Write(message.ToArray(), writer);
        var reader = PipeReader.Create(new ChunkedStream(writer.WrittenSpan.ToArray(), 1 + (chunk % 17)));
        var buffer = new SmtpMessageBuffer(1 << 24);
        var result = SmtpDataReader.ReadAsync(reader, buffer, null, default).AsTask().GetAwaiter().GetResult();
        return result.Status == SmtpDataStatus.Complete && buffer.Written.Span.SequenceEqual(message.ToArray());
    }
}

/// <summary>Mutated inputs to every parser entry point end in a result or a rejection — never in
/// an unexpected exception — and quickly.</summary>
public class FuzzTests
{
    private static readonly string[] s_corpus =
    [
        "MAIL FROM:<+15550100001/TYPE=PLMN@mms.peer.example> SIZE=1234 BODY=8BITMIME",
        "RCPT TO:<\"quoted \\\" local\"@[IPv6:2001:db8::1]>",
        "RCPT TO:<@a.example,@b.example:user@c.example>",
        "EHLO [192.0.2.1]",
        "250-mx.example\r\n250-SIZE 1000\r\n250 5.0.0 ENHANCEDSTATUSCODES\r\n",
        "Subject: x\r\n\r\n..dot\r\n.\r\n",
    ];

    private static IEnumerable<byte[]> Mutations(int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var input = System.Text.Encoding.Latin1.GetBytes(s_corpus[random.Next(s_corpus.Length)]).ToList();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = input.Count == 0 ? 0 : random.Next(input.Count);
                switch (random.Next(4))
                {
                    case 0: if (input.Count > 0) input.RemoveAt(at); break;
                    case 1: input.Insert(at, (byte)random.Next(256)); break;
                    case 2: if (input.Count > 0) input[at] = (byte)"<>@:.\"\\[]=, \r\n"[random.Next(14)]; break;
                    default: input.InsertRange(at, input.Take(random.Next(Math.Min(input.Count, 30) + 1)).ToList()); break;
                }
            }

            yield return [.. input];
        }
    }

    [Fact]
    public void Command_parser_returns_a_command_or_a_reason_for_any_input()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var input in Mutations(1, 20_000))
        {
            var reason = SmtpCommandParser.TryParse(input, out var command);
            Assert.True(reason != SmtpRejectionReason.None || command.Verb != SmtpVerb.Unknown);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Reply_reader_returns_a_reply_or_a_protocol_error_for_any_input()
    {
        foreach (var input in Mutations(2, 3_000))
        {
            var reader = new SmtpReplyReader(new SmtpLineReader(PipeReader.Create(new ChunkedStream(input, 3)), 512));
            try
            {
                var reply = await reader.ReadReplyAsync(default);
                Assert.InRange(reply.Code, 200, 599);
            }
            catch (SmtpProtocolException)
            {
                // Rejected as data: fine.
            }
        }
    }

    [Fact]
    public async Task Data_reader_ends_complete_too_large_or_at_end_of_stream_for_any_input()
    {
        foreach (var input in Mutations(3, 3_000))
        {
            var buffer = new SmtpMessageBuffer(40);
            var result = await SmtpDataReader.ReadAsync(PipeReader.Create(new ChunkedStream(input, 2)), buffer, null, default);
            Assert.True(buffer.Written.Length <= 40);
            if (result.Status == SmtpDataStatus.Complete) Assert.True(result.Length <= 40 && result.Length == buffer.Written.Length);
            if (result.Status == SmtpDataStatus.TooLarge) Assert.True(result.Length > 40);
        }
    }
}
