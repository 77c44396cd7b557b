using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RepSec.Cli.Transparency;

/// <summary>What <c>repsec</c> remembers about one server's log: the pinned key and the last checkpoint it verified.</summary>
internal sealed record LogState(string Server, string Origin, string LogKey, string? Checkpoint)
{
    public const int Version = 1;
}

/// <summary>
/// The state file: small JSON, one per server, readable by people. Written with <see cref="AtomicFile"/>, so a
/// crash or a full disk leaves the previous state whole rather than half a checkpoint.
/// </summary>
internal static class LogStateFile
{
    /// <summary><c>$XDG_STATE_HOME/repsec/HOST_PORT.json</c>, else <c>~/.local/state/repsec/HOST_PORT.json</c>.</summary>
    public static string DefaultPath(string host, int port) => DefaultPath(
        host, port, Environment.GetEnvironmentVariable("XDG_STATE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public static string DefaultPath(string host, int port, string? xdgStateHome, string home)
    {
        // The XDG spec says a relative value is invalid and must be ignored.
        var root = xdgStateHome is { Length: > 0 } && Path.IsPathFullyQualified(xdgStateHome)
            ? xdgStateHome
            : Path.Combine(home, ".local", "state");
        return Path.Combine(root, "repsec", FileName(host, port));
    }

    /// <summary>A file name for any host, IPv6 included: lowercase, anything but letters, digits, '.' and '-' as '_'.</summary>
    public static string FileName(string host, int port)
    {
        var name = new StringBuilder(host.Length + 12);
        foreach (var c in host)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? char.ToLowerInvariant(c) : '_');
        }

        return name.Append(CultureInfo.InvariantCulture, $"_{port}.json").ToString();
    }

    /// <summary>The state, or null when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static LogState? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version)
                || version.ValueKind != JsonValueKind.Number || version.GetInt32() != LogState.Version)
            {
                throw new InvalidDataException($"not a version {LogState.Version} log state");
            }

            return new LogState(Required(root, "server"), Required(root, "origin"), Required(root, "log_key"),
                root.TryGetProperty("checkpoint", out var checkpoint) && checkpoint.ValueKind == JsonValueKind.String ? checkpoint.GetString() : null);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            throw new InvalidDataException(exception.Message, exception);
        }
    }

    /// <summary>Replaces the file atomically; a new file and its directories are readable by the owner only.</summary>
    public static void Save(string path, LogState state) => AtomicFile.Write(path, stream => Write(stream, state));

    private static void Write(Stream stream, LogState state)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteNumber("version", LogState.Version);
        writer.WriteString("server", state.Server);
        writer.WriteString("origin", state.Origin);
        writer.WriteString("log_key", state.LogKey);
        if (state.Checkpoint is null)
        {
            writer.WriteNull("checkpoint");
        }
        else
        {
            writer.WriteString("checkpoint", state.Checkpoint);
        }

        writer.WriteEndObject();
        writer.Flush();
        stream.Write("\n"u8);
    }

    private static string Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"the log state lacks '{name}'");
}
