global using Cpm.Interwork.Sip;
