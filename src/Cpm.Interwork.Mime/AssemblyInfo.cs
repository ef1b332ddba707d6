namespace Cpm.Interwork.Mime;
