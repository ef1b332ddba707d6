namespace Cpm.Interwork.Dns;
