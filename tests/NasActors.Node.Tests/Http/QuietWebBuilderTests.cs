using Microsoft.Extensions.Configuration;
using NasActors.Node.Http;
using Xunit;

namespace NasActors.Node.Tests.Http;

public class QuietWebBuilderTests
{
    [Fact]
    public void The_admin_web_builder_neither_watches_nor_reads_the_working_folder()
    {
        var builder = QuietWebBuilder.Create();

        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(builder.Environment.ContentRootPath));
        var files = ((IConfigurationBuilder)builder.Configuration).Sources.OfType<FileConfigurationSource>().ToList();
        Assert.NotEmpty(files); // appsettings.json is still a source (optional), read from the installation folder
        Assert.All(files, file => Assert.False(file.ReloadOnChange, $"{file.Path} reloads on change"));
    }
}
