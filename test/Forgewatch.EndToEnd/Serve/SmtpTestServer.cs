using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Forgewatch.Testing;

namespace Forgewatch.EndToEnd.Serve;

/// <summary>
/// A real SMTP server on 127.0.0.1 (aiosmtpd, run by test/fixtures/smtp/smtp_server.py) that requires
/// STARTTLS, or TLS from the first byte, and authentication, with a certificate made for the test. Each
/// accepted message lands as a file in <see cref="Mailbox"/>. Tests that need it skip, saying what is
/// missing, where Debian's python3-aiosmtpd is not installed (.ci/run installs it).
/// </summary>
internal sealed class SmtpTestServer : IDisposable
{
    public const string User = "forgewatch";
    public const string Password = "correct horse battery staple";

    private readonly string _folder;
    private Process? _process;

    public SmtpTestServer(bool implicitTls)
    {
        RequireAiosmtpd();
        ImplicitTls = implicitTls;
        _folder = Path.Combine(Path.GetTempPath(), "forgewatch-smtp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        Mailbox = Path.Combine(_folder, "mailbox");
        CertificateFile = Path.Combine(_folder, "cert.pem");
        KeyFile = Path.Combine(_folder, "key.pem");
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        Port = ServeProcess.FreePort();
    }

    public bool ImplicitTls { get; }

    public int Port { get; }

    public string Mailbox { get; }

    public string CertificateFile { get; }

    private string KeyFile { get; }

    /// <summary>The server's settings for <c>forgewatch serve</c>.</summary>
    public Dictionary<string, string?> Settings(string? password = null) => new()
    {
        ["Forgewatch:Smtp:Host"] = "127.0.0.1",
        ["Forgewatch:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Forgewatch:Smtp:Security"] = ImplicitTls ? "Tls" : "StartTls",
        ["Forgewatch:Smtp:User"] = User,
        ["Forgewatch:Smtp:Password"] = password ?? Password,
        ["Forgewatch:Smtp:From"] = "forgewatch@provider.example",
        ["Forgewatch:Smtp:CertificateFile"] = CertificateFile,
    };

    /// <summary>The messages accepted so far, whole.</summary>
    public string[] Messages => Directory.Exists(Mailbox) ? [.. Directory.EnumerateFiles(Mailbox, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllText)] : [];

    public void Start()
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(RepositoryPaths.Root, "test", "fixtures", "smtp", "smtp_server.py"), "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Mailbox, "--cert", CertificateFile, "--key", KeyFile, "--user", User, "--password", Password })
        {
            start.ArgumentList.Add(arg);
        }

        if (ImplicitTls)
        {
            start.ArgumentList.Add("--tls");
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        Task<string?> ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result != "ready")
        {
            Stop();
            throw new InvalidOperationException("The test SMTP server did not start.");
        }
    }

    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();

    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static void RequireAiosmtpd()
    {
        try
        {
            using Process check = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, UseShellExecute = false })!;
            check.StandardError.ReadToEnd();
            check.WaitForExit();
            if (check.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No Python at all.
        }

        Assert.Skip("The test SMTP server needs Python 3 with aiosmtpd (Debian: apt-get install python3-aiosmtpd; .ci/run installs it).");
    }
}
