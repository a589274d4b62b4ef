using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

// The web benchmark: 50 signed-in people (sessions of the demo's patients) ask for the web app's main pages at once;
// each page's server time (p50, p95) is printed beside the API call it is made from, measured the same way in the same
// run, and each page's bytes (compressed, as a browser gets them) on a first visit (the page and its CSS and script)
// and a repeat one (what the cache does not already hold). Usage: web <web url> <api url> [users] [requests per user]
var (web, api) = (args[0].TrimEnd('/'), args[1].TrimEnd('/'));
var users = args.Length > 2 ? int.Parse(args[2]) : 50;
var perUser = args.Length > 3 ? int.Parse(args[3]) : 20;
string[] patients = ["amira.khan", "piotr.mazur", "sian.evans", "james.taylor"];
const string password = "demo-clinic-2027";

// Each user signs in as a browser does: the web app sends them to the clinic's sign-in page, they post the form,
// and the authorization code comes back to the web app, which keeps the session.
Console.Error.WriteLine($"Signing in {users} users...");
var sessions = await Task.WhenAll(Enumerable.Range(0, users).Select(async i => await SignInAsync($"{patients[i % patients.Length]}@demo.clinic")));
var token = await TokenAsync("amira.khan@demo.clinic");

var therapist = JsonDocument.Parse(await sessions[0].GetStringAsync($"{api}/api/directory/therapists?language=cy")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
var me = JsonDocument.Parse(await Authorized(token).GetStringAsync($"{api}/api/me")).RootElement.GetProperty("subject").GetString();
var today = DateOnly.FromDateTime(DateTime.UtcNow);
(string Page, string Path, string ApiPath)[] pages =
[
    ("Find a therapist (Welsh)", "/therapists?language=cy", "/api/directory/therapists?language=cy&page=1&pageSize=10"),
    ("Therapist profile and slots", $"/therapists/{therapist}", $"/api/directory/therapists/{therapist}/slots?from={today:yyyy-MM-dd}&to={today.AddDays(14):yyyy-MM-dd}"),
    ("My appointments", "/appointments", "/api/calendar/patient"),
    ("Questionnaires and chart", "/questionnaires", $"/api/patients/{me}/outcomes"),
];

var rows = new List<string[]>();
var failures = 0;
var apiClients = Enumerable.Range(0, users).Select(_ => Authorized(token)).ToArray();
foreach (var (name, path, apiPath) in pages)
{
    // One unmeasured round of each first, so neither side's first call (code compiled, connections opened) lands in the tail.
    await Task.WhenAll(Enumerable.Range(0, users).Select(async i =>
    {
        (await sessions[i].GetAsync(web + path)).Dispose();
        (await apiClients[i].GetAsync(api + apiPath)).Dispose();
    }));
    var pageTimes = await MeasureAsync(i => sessions[i].GetAsync(web + path));
    var apiTimes = await MeasureAsync(i => apiClients[i].GetAsync(api + apiPath));
    var (first, repeat) = await BytesAsync(sessions[0], web + path);
    rows.Add([name, Ms(pageTimes, 0.5), Ms(pageTimes, 0.95), Ms(apiTimes, 0.5), Ms(apiTimes, 0.95), Kb(first), Kb(repeat)]);
}

string[] header = ["Page", "web p50 ms", "web p95 ms", "API p50 ms", "API p95 ms", "first visit KB", "repeat KB"];
var widths = header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
Console.WriteLine(string.Join(" | ", header.Select((h, c) => h.PadRight(widths[c]))));
Console.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
foreach (var row in rows)
{
    Console.WriteLine(string.Join(" | ", row.Select((v, c) => c == 0 ? v.PadRight(widths[c]) : v.PadLeft(widths[c]))));
}

var worst = rows.MaxBy(r => double.Parse(r[2]))!;
Console.WriteLine($"Summary: {users} signed-in users, {users * perUser} requests per page: the slowest page's p95 is {worst[2]} ms ({worst[0]}) " +
                  $"against {worst[4]} ms for its API call alone; a first visit is at most {rows.Max(r => double.Parse(r[5])):0.0} KB, a repeat at most " +
                  $"{rows.Max(r => double.Parse(r[6])):0.0} KB; {failures} failed requests.");
if (failures > 0 || rows.Any(r => double.Parse(r[6]) >= double.Parse(r[5])))
{
    Console.Error.WriteLine("Check failed: every request must succeed, and a repeat visit must transfer less than a first one.");
    return 1;
}

return 0;

async Task<List<double>> MeasureAsync(Func<int, Task<HttpResponseMessage>> request)
{
    var times = new List<double>();
    await Task.WhenAll(Enumerable.Range(0, users).Select(async user =>
    {
        for (var n = 0; n < perUser; n++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await request(user);
            await response.Content.ReadAsByteArrayAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            lock (times)
            {
                times.Add(elapsed);
                if (!response.IsSuccessStatusCode || response.RequestMessage?.RequestUri?.AbsolutePath.Contains("login", StringComparison.Ordinal) == true)
                {
                    failures++;
                }
            }
        }
    }));
    return times;
}

// First visit: the page and every stylesheet, script and module it pulls in. Repeat: the page, and whatever of those
// a browser may not keep (no max-age).
async Task<(long First, long Repeat)> BytesAsync(HttpClient session, string url)
{
    using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false });
    raw.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br, gzip");
    var html = await session.GetStringAsync(url);
    var cookie = Cookies[session];
    long Size(HttpResponseMessage r, byte[] body) => body.Length + r.Headers.ToString().Length + r.Content.Headers.ToString().Length;
    using var pageRequest = new HttpRequestMessage(HttpMethod.Get, url);
    pageRequest.Headers.Add("Cookie", cookie.GetCookieHeader(new Uri(url)));
    using var page = await raw.SendAsync(pageRequest);
    var pageBytes = Size(page, await page.Content.ReadAsByteArrayAsync());
    var (first, repeat) = (pageBytes, pageBytes);
    var assets = new Queue<string>(Regex.Matches(html, "(?:href|src)=\"(/(?:css|js|lib)/[^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));
    var seen = new HashSet<string>();
    while (assets.TryDequeue(out var asset))
    {
        if (!seen.Add(asset))
        {
            continue;
        }

        using var response = await raw.GetAsync(new Uri(new Uri(url), asset));
        var body = await response.Content.ReadAsByteArrayAsync();
        first += Size(response, body);
        if (response.Headers.CacheControl?.MaxAge is null)
        {
            repeat += Size(response, body);
        }

        if (asset.Contains(".js", StringComparison.Ordinal))
        {
            using var plain = await session.GetAsync(new Uri(new Uri(url), asset));
            foreach (Match import in Regex.Matches(await plain.Content.ReadAsStringAsync(), "from\\s*['\"](/[^'\"]+)['\"]"))
            {
                assets.Enqueue(import.Groups[1].Value);
            }
        }
    }

    return (first, repeat);
}

async Task<HttpClient> SignInAsync(string email)
{
    var cookies = new CookieContainer();
    var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true }) { Timeout = TimeSpan.FromSeconds(60) };
    Cookies[client] = cookies;
    var login = await client.GetAsync($"{web}/signin?returnUrl=/appointments");
    var form = await login.Content.ReadAsStringAsync();
    string Field(string name) => WebUtility.HtmlDecode(Regex.Match(form, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);
    var antiforgery = Regex.Match(form, "name=\"(__RequestVerificationToken|[^\"]*RequestVerificationToken[^\"]*)\"").Groups[1].Value;
    using var signedIn = await client.PostAsync(login.RequestMessage!.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
    {
        [antiforgery] = Field(antiforgery), ["returnUrl"] = Field("returnUrl"), ["email"] = email, ["password"] = password,
    }));
    if (!signedIn.IsSuccessStatusCode || signedIn.RequestMessage!.RequestUri!.AbsolutePath != "/appointments")
    {
        throw new InvalidOperationException($"{email} could not sign in: {(int)signedIn.StatusCode} at {signedIn.RequestMessage?.RequestUri}");
    }

    return client;
}

async Task<string> TokenAsync(string email)
{
    using var http = new HttpClient();
    var response = await http.PostAsync($"{api}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "password", ["client_id"] = "clinic-app", ["username"] = email, ["password"] = password, ["scope"] = "clinic.api",
    }));
    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
}

HttpClient Authorized(string bearer)
{
    var client = new HttpClient();
    client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
    return client;
}

static string Ms(List<double> times, double quantile)
{
    var sorted = times.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)].ToString("0.0");
}

static string Kb(long bytes) => (bytes / 1024.0).ToString("0.0");

public partial class Program
{
    private static readonly Dictionary<HttpClient, CookieContainer> Cookies = [];
}
