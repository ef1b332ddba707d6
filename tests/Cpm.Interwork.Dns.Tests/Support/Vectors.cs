using System.Globalization;

namespace Cpm.Interwork.Dns.Tests.Support;

/// <summary>Loads the annotated hex vector files in Vectors/dns (one field per line, '#' comments).</summary>
internal static class Vectors
{
    public static byte[] Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "dns", name);
        var bytes = new List<byte>();
        foreach (var line in File.ReadAllLines(path))
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var data = hash >= 0 ? line[..hash] : line;
            foreach (var token in data.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return [.. bytes];
    }
}
