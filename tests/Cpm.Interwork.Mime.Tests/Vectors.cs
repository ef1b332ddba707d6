namespace Cpm.Interwork.Mime.Tests;

internal static class Vectors
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Vectors");
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Dir, name));
    public static IEnumerable<string> Names(string pattern) => Directory.GetFiles(Dir, pattern).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
