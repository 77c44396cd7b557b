using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RepSec.IntegrationTests.WebConsole;

/// <summary>
/// Debian's Chromium driven through Debian's chromedriver (W3C WebDriver over HTTP), headless: to type into the
/// console's forms and click, which a page load alone cannot.
/// </summary>
internal sealed class WebDriver : IAsyncDisposable
{
    private const string ElementKey = "element-6066-11e4-a52e-4f735466cecf";

    private readonly Process _driver;

    /// <summary>Where the screenshots of the console tests go (kept after the run, to be looked at).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "repsec-console-screenshots")).FullName;
    private readonly HttpClient _http;
    private readonly string _session;

    private WebDriver(Process driver, HttpClient http, string session)
    {
        _driver = driver;
        _http = http;
        _session = session;
    }

    public static async Task<WebDriver> StartAsync()
    {
        var port = Operations.RepsecdProcess.FreePort();
        Process driver;
        try
        {
            driver = Process.Start(new ProcessStartInfo("chromedriver", [$"--port={port}"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("chromedriver is not installed (Debian package chromium-driver; .ci/run installs it)");
        }

        _ = driver.StandardOutput.ReadToEndAsync();
        _ = driver.StandardError.ReadToEndAsync();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var status = await http.GetAsync(new Uri("status", UriKind.Relative));
                break;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }

        // The development certificate is accepted by capability: the page's own checks are what is tested.
        var capabilities = JsonNode.Parse("""
            {"capabilities":{"alwaysMatch":{"browserName":"chrome","acceptInsecureCerts":true,
              "goog:chromeOptions":{"binary":"/usr/bin/chromium","args":["--headless=new","--no-sandbox","--disable-gpu","--window-size=1000,1400"]},
              "goog:loggingPrefs":{"browser":"ALL"}}}}
            """)!;
        var created = await SendAsync(http, HttpMethod.Post, "session", capabilities);
        return new WebDriver(driver, http, created["sessionId"]!.GetValue<string>());
    }

    public async Task GoToAsync(Uri url)
    {
        await CommandAsync(HttpMethod.Post, "url", new JsonObject { ["url"] = url.ToString() });
        await WaitUntilDoneAsync();
    }

    /// <summary>Loads <paramref name="url"/>, waits for the console to finish, and returns the DOM (and a screenshot, when named).</summary>
    public async Task<string> VisitAsync(Uri url, string? screenshot = null)
    {
        await GoToAsync(url);
        if (screenshot is not null)
        {
            await ScreenshotAsync(screenshot);
        }

        return (await ScriptAsync("return document.documentElement.outerHTML;"))!.GetValue<string>();
    }

    /// <summary>Resizes the window (a phone's width, say).</summary>
    public Task ResizeAsync(int width, int height) =>
        CommandAsync(HttpMethod.Post, "window/rect", new JsonObject { ["width"] = width, ["height"] = height });

    /// <summary>Whether the page fits its window's width (nothing to scroll sideways).</summary>
    public async Task<bool> FitsWidthAsync() =>
        (await ScriptAsync("return document.documentElement.scrollWidth <= window.innerWidth;"))!.GetValue<bool>();

    public async Task TypeAsync(string cssSelector, string text) =>
        await CommandAsync(HttpMethod.Post, $"element/{await FindAsync(cssSelector)}/value", new JsonObject { ["text"] = text });

    public async Task ClickAsync(string cssSelector)
    {
        await CommandAsync(HttpMethod.Post, $"element/{await FindAsync(cssSelector)}/click", new JsonObject());
        await WaitUntilDoneAsync();
    }

    /// <summary>The page's visible text.</summary>
    public async Task<string> TextAsync() => (await ScriptAsync("return document.body.innerText;"))!.GetValue<string>();

    public async Task ScreenshotAsync(string name)
    {
        var png = await CommandAsync(HttpMethod.Get, "screenshot", null);
        await File.WriteAllBytesAsync(Path.Combine(Screenshots, name), Convert.FromBase64String(png!.GetValue<string>()));
    }

    /// <summary>What the page wrote to its console (errors and CSP violations among them).</summary>
    public async Task<IReadOnlyList<string>> ConsoleAsync()
    {
        var entries = await CommandAsync(HttpMethod.Post, "se/log", new JsonObject { ["type"] = "browser" });
        return [.. entries!.AsArray().Select(e => e!["message"]!.GetValue<string>())];
    }

    private async Task WaitUntilDoneAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await ScriptAsync("return document.body.dataset.state || '';"))?.GetValue<string>() == "done")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the console did not finish in 30 s");
    }

    private Task<JsonNode?> ScriptAsync(string script) =>
        CommandAsync(HttpMethod.Post, "execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() });

    private async Task<string> FindAsync(string cssSelector)
    {
        var element = await CommandAsync(HttpMethod.Post, "element", new JsonObject { ["using"] = "css selector", ["value"] = cssSelector });
        return element![ElementKey]!.GetValue<string>();
    }

    private async Task<JsonNode?> CommandAsync(HttpMethod method, string path, JsonNode? body) =>
        (await SendAsync(_http, method, $"session/{_session}/{path}", body))["value"];

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            // With a length: chromedriver's HTTP server takes no chunked bodies.
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WebDriver {method} {path}: {answer.ToJsonString()}");
        }

        return path == "session" ? answer["value"]! : answer;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var _ = await _http.DeleteAsync(new Uri($"session/{_session}", UriKind.Relative));
        }
        catch (HttpRequestException)
        {
        }

        _http.Dispose();
        _driver.Kill(entireProcessTree: true);
        await _driver.WaitForExitAsync();
        _driver.Dispose();
    }
}
