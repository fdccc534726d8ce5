using System.Text.RegularExpressions;

namespace Flexoraa.Media;

/// <summary>
/// Media as files, <c>{root}/{tenantId}/{mediaObjectId}</c>. Names are only ever built from ids checked against a strict
/// pattern, and every key is checked to belong to the tenant asking, so no key can reach outside its tenant's folder.
/// A file is written under a temporary name and moved into place, so a reader never sees half of one.
/// </summary>
public sealed partial class FileSystemMediaBlobStore : IMediaBlobStore
{
    private readonly string _root;

    public FileSystemMediaBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Root => _root;

    public async Task<string> PutAsync(string tenantId, string mediaObjectId, Stream content, CancellationToken cancellationToken = default)
    {
        var key = $"{Checked(tenantId)}/{Checked(mediaObjectId)}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return key;
    }

    public Task<Stream?> OpenReadAsync(string tenantId, string blobKey, CancellationToken cancellationToken = default)
    {
        var path = PathOf(OwnKey(tenantId, blobKey));
        try
        {
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string tenantId, string blobKey, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(OwnKey(tenantId, blobKey)));
        return Task.CompletedTask;
    }

    private static string OwnKey(string tenantId, string blobKey)
    {
        var slash = blobKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || blobKey[..slash] != Checked(tenantId)) throw new ArgumentException("The blob key is not the tenant's.", nameof(blobKey));
        Checked(blobKey[(slash + 1)..]);
        return blobKey;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // Belt and braces: the names were checked, and the result must still be inside the root.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException("The blob key leaves the store.", nameof(key));
        return path;
    }

    private static string Checked(string name) =>
        SafeName().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a safe blob name (letters, digits, '_' and '-' only).", nameof(name));

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
