namespace Cpm.Interwork.Mime.Tests;
