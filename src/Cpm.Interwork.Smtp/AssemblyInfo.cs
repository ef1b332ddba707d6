namespace Cpm.Interwork.Smtp;
