; Commune Radio Studio: the Windows installer (Inno Setup 6.3 or newer).
;
; Build, from the repository root, after the PyInstaller one-folder build (dist\CommuneRadioStudio\):
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\studio.iss
; Optional defines:
;   /DAppVersionNumeric=0.1.0.0   the Windows file version of the setup program (up to four numbers);
;                                 needed when AppVersion is not only numbers and dots (e.g. 0.2.0rc1)
;   /DFrozenDir=C:\path\to\CommuneRadioStudio   another PyInstaller output folder
; Output: dist\installer\CommuneRadioStudio-<AppVersion>-setup.exe
; .github/workflows/windows-installer.yml builds it, installs it, smoke-tests it and uninstalls it.
;
; This file is UTF-8 with a byte-order mark: [CustomMessages] holds Vietnamese text (Inno Setup 6.3+ also
; reads UTF-8 without one; the mark keeps older readers and Windows editors right).
;
; Every directive and flag below was checked against the Inno Setup help (jrsoftware.org/ishelp; the
; pages are listed in packaging/README.md). Lines marked "UNSURE:" rest on something the documentation
; did not settle; packaging/README.md repeats them. The script has not been compiled on the project's
; Linux machines (ISCC is a Windows program): windows-installer.yml is its first real compile.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (the x64compatible architecture identifier came with 6.3)
#endif
#if Ver >= EncodeVer(7, 0, 0)
  #pragma warning "This script was written for Inno Setup 6: check it against the Inno Setup 7 changes"
#endif

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=<version of commune-radio-studio> packaging\windows\studio.iss
#endif
#ifndef AppVersionNumeric
  ; Right while the package version is numbers and dots (0.1.0); otherwise the compiler rejects
  ; VersionInfoVersion, and the build must pass /DAppVersionNumeric.
  #define AppVersionNumeric AppVersion
#endif

; ---- names shared with the rest of the project ----------------------------------------------------------
#define AppName "Commune Radio Studio"
; The PyInstaller folder's two programs (packaging/studio.spec).
#define GuiExe "CommuneRadioStudio.exe"
#define CliExe "studio-cli.exe"
; The user data folder is platformdirs.user_data_dir(APP_NAME, APP_AUTHOR) (studio/paths.py): on Windows
; %LOCALAPPDATA%\<APP_AUTHOR>\<APP_NAME>, with the cache (...\Cache) and the logs (...\Logs) inside it.
; `python packaging/windows/installer_smoke.py check-names` compares these two with studio/paths.py.
#define DataAuthor "CommuneRadio"
#define DataAppName "CommuneRadioStudio"
; The bulletin bundle (a zip with a manifest); opening one runs  CommuneRadioStudio.exe open "<file>".
#define BundleExt ".bantin"
#define BundleProgId "CommuneRadioStudio.Bundle"
; Fixed for good: Setup recognises an earlier install (its folder, mode and uninstall log) by AppId, and
; the uninstall registry key is named after it ({GUID}_is1). Never give it to another program.
#define AppGuid "144FD18C-51F6-429E-9F3D-30EEA9B25DFC"

; ---- where the files come from --------------------------------------------------------------------------
; SourcePath is this script's folder (packaging\windows\); the repository root is two levels up.
#define RepoRoot ExtractFileDir(ExtractFileDir(RemoveBackslash(SourcePath)))
#ifndef FrozenDir
  #define FrozenDir RepoRoot + "\dist\CommuneRadioStudio"
#endif
#if !FileExists(FrozenDir + "\" + GuiExe) || !FileExists(FrozenDir + "\" + CliExe)
  #error The PyInstaller folder is missing: run  pyinstaller --noconfirm --distpath dist --workpath build packaging/studio.spec  first, or pass /DFrozenDir=...
#endif
; The project's licence is GPL-3.0-or-later (pyproject.toml; its text is LICENSE at the root): Setup shows
; it on a licence page and installs it. (COPYING is accepted too; without either the build warns.)
#if FileExists(RepoRoot + "\LICENSE")
  #define LicenseText RepoRoot + "\LICENSE"
#elif FileExists(RepoRoot + "\COPYING")
  #define LicenseText RepoRoot + "\COPYING"
#else
  #pragma warning "No LICENSE file in the repository: no licence page; notices-*.txt name GPL-3.0-or-later"
#endif

[Setup]
; "{{" is a literal "{": the AppId is the GUID in braces.
AppId={{{#AppGuid}}
AppName={#AppName}
AppVersion={#AppVersion}
; The publisher shown in Windows' list of installed apps: the author name the studio already uses for
; its data folder (and packaging/studio.spec for CompanyName).
AppPublisher={#DataAuthor}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}

; Per-user install without administrator rights by default ({autopf} = %LOCALAPPDATA%\Programs,
; {autoprograms} and {autodesktop} = the user's Start menu and desktop, HKA = HKCU). The install-mode
; dialog, or /ALLUSERS on the command line, lets an administrator install for all users instead
; ({autopf} = Program Files, the common Start menu and desktop, HKA = HKLM). "dialog" implies
; "commandline"; both are listed to say so. /CURRENTUSER picks per-user without the dialog.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; (UsePreviousPrivileges=yes, the default: an update reuses the mode of the installed copy.)

; The frozen studio is 64-bit (x64) Python; x64compatible also admits Arm64 Windows 11 (x64 emulation).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809 (build 17763) or newer. UNSURE: Qt 6's stated minimum, not tried on an old PC;
; Python 3.11 itself needs Windows 8.1.
MinVersion=10.0.17763

DefaultDirName={autopf}\{#AppName}
; One shortcut straight in the Start menu's programs, no folder of its own: no Start menu folder page.
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#GuiExe}
; Setup itself shows the studio's icon (scripts/make_icons.py draws it; the frozen programs carry it too).
SetupIconFile={#RepoRoot}\packaging\icons\CommuneRadioStudio.ico
; Explorer is told at the end of install and of uninstall that file associations changed (.bantin).
ChangesAssociations=yes
; (CloseApplications=yes, the default: a studio still running is closed through the Restart Manager
; before its files are replaced, and RestartApplications=yes opens it again afterwards.)

#ifdef LicenseText
LicenseFile={#LicenseText}
#endif
WizardStyle=modern
; The language dialog is shown, preselected from the Windows display language (LanguageDetectionMethod=
; uilanguage, the default), so an officer on an English Windows can still choose Vietnamese.
ShowLanguageDialog=yes
; Setup always writes a log to %TEMP% ("Setup Log <date> #nnn.txt"): the first thing support asks for.
SetupLogging=yes

OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename=CommuneRadioStudio-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes

[Languages]
; English first: it is the fallback when Windows speaks neither language, as in the studio itself
; (Vietnamese on a Vietnamese system, English otherwise).
; Inno Setup 6 does not ship Vietnamese (a Vietnamese.isl exists only among the unofficial translations
; in Inno Setup's source repository, which the Inno Setup installer does not install), so the
; Vietnamese.isl beside this script is the project's own. Default.isl is read first: several messages
; files are read in order, a later one overriding an earlier one, so a message Vietnamese.isl lacks (one
; a newer Inno Setup adds, say) shows in English instead of failing the build. UNSURE: that rule is
; recalled from the description of the MessagesFile parameter; the excerpts checked did not show it.
Name: "en"; MessagesFile: "compiler:Default.isl"; InfoBeforeFile: "notices-en.txt"
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"; InfoBeforeFile: "notices-vi.txt"

[CustomMessages]
en.BundleFileType=Commune Radio Studio bulletin bundle
vi.BundleFileType=Gói bản tin Commune Radio Studio
en.AskDeleteUserData=Also delete the studio's data for this Windows user?
vi.AskDeleteUserData=Xóa luôn dữ liệu của phần mềm của người dùng Windows này?
en.UserDataContents=This folder holds the bulletin library, recordings, jingles, finished programmes, settings and logs. Choose No to keep it, for example when you will install the studio again.
vi.UserDataContents=Thư mục này chứa thư viện bản tin, bản thu, nhạc hiệu, chương trình đã làm xong, thiết lập và nhật ký. Chọn Không để giữ lại, ví dụ khi bạn sẽ cài lại phần mềm.
en.DeleteUserDataFailed=Some of the studio's data could not be deleted (perhaps a file was still open). You can delete this folder yourself:
vi.DeleteUserDataFailed=Không xóa được một phần dữ liệu của phần mềm (có thể còn tệp đang mở). Bạn có thể tự xóa thư mục này:

[Tasks]
; Both ticked by default: the officers this is for look for the studio on the desktop, and a .bantin
; bundle received from another PC should open with a double-click.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "fileassoc"; Description: "{cm:AssocFileExtension,{#AppName},{#BundleExt}}"

[InstallDelete]
; An update first removes the previous version's runtime folder (PyInstaller's _internal: Python, Qt and
; the studio's code), so that modules dropped or renamed between versions cannot linger and be imported.
; Only this folder: nothing the user made lives under {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole PyInstaller folder. ignoreversion: replace every file on an update, even when its version
; resource says it is the same or newer (the runtime must match the new build as a whole).
Source: "{#FrozenDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The licences where a person looks for them (the frozen folder also carries the font licences, inside
; _internal\studio\assets\fonts\licenses, where the studio reads its fonts).
Source: "{#RepoRoot}\assets\fonts\licenses\*"; DestDir: "{app}\licenses\fonts"; Flags: ignoreversion
Source: "{#RepoRoot}\assets\fonts\README.md"; DestDir: "{app}\licenses\fonts"; Flags: ignoreversion
Source: "notices-en.txt"; DestDir: "{app}\licenses"; Flags: ignoreversion
Source: "notices-vi.txt"; DestDir: "{app}\licenses"; Flags: ignoreversion
#ifdef LicenseText
Source: "{#LicenseText}"; DestDir: "{app}\licenses"; DestName: "LICENSE.txt"; Flags: ignoreversion
#endif

[Icons]
; {autoprograms}/{autodesktop}: the user's Start menu and desktop in per-user mode, all users' in
; administrative mode. The uninstaller is reached through Windows' list of installed apps.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon

[Registry]
; The .bantin association under HKA\Software\Classes (HKCU\Software\Classes per-user, HKLM's for all
; users; the help advises HKA with Software\Classes over HKCR). The uninstaller works through these
; entries from the last to the first, so each "ifempty" key comes before the values inside it.
Root: HKA; Subkey: "Software\Classes\{#BundleExt}"; Flags: uninsdeletekeyifempty; Tasks: fileassoc
; The extension's default value names the ProgID, so that a double-click opens the studio at once
; rather than asking which program to use. uninsdeletevalue removes this one value at uninstall.
Root: HKA; Subkey: "Software\Classes\{#BundleExt}"; ValueType: string; ValueName: ""; ValueData: "{#BundleProgId}"; Flags: uninsdeletevalue; Tasks: fileassoc
Root: HKA; Subkey: "Software\Classes\{#BundleExt}\OpenWithProgids"; Flags: uninsdeletekeyifempty; Tasks: fileassoc
Root: HKA; Subkey: "Software\Classes\{#BundleExt}\OpenWithProgids"; ValueType: string; ValueName: "{#BundleProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: fileassoc
; The ProgID is the studio's alone: uninsdeletekey removes it with all below it (icon, open command).
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:BundleFileType}"; Flags: uninsdeletekey; Tasks: fileassoc
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"; Tasks: fileassoc
; "" inside a quoted parameter is one quote: the value is  "C:\...\CommuneRadioStudio.exe" open "%1"
; The studio's "open <file>" command (studio/cli.py) opens the window and imports the bundle.
Root: HKA; Subkey: "Software\Classes\{#BundleProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" open ""%1"""; Tasks: fileassoc
; The studio in the "Open with" list of .bantin files; the key is the studio's alone.
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}"; Flags: uninsdeletekey; Tasks: fileassoc
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: "{#BundleExt}"; ValueData: ""; Tasks: fileassoc

[Run]
; Offered on the last page (never in a silent install): the studio opens as the user who started Setup
; (runasoriginaluser is the default for postinstall entries), and Setup does not wait for it.
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The runtime folder as a whole, in case Python wrote files into it that Setup did not install (e.g. a
; __pycache__ beside a module collected as source); it is the studio's and holds nothing of the user's.
; The user's data are NOT listed here: [UninstallDelete] entries are stored in the uninstall log at
; install time and always run, whereas the data must stay unless the user says otherwise when
; uninstalling. That question is asked in [Code] below.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
{ At uninstall: ask whether the studio's data folder goes too. No is the default answer, and the answer
  of a silent uninstall: reinstalling or upgrading must find the library where it was.
  /PURGEDATA on the uninstaller's command line deletes the data without asking (scripted removal, and
  the CI test of this code). UNSURE: that the uninstaller's second phase (the copy of itself it runs from
  %TEMP%) sees the original command line; if it did not, /PURGEDATA would be ignored and the data kept.
  Only this Windows user's folder is reached: after an all-users install every user has their own, and an
  uninstaller elevated with another account sees that account's folder. Passwords the studio saved in the
  Windows Credential Manager are not touched. }

var
  DeleteUserData: Boolean;

function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataAuthor}\{#DataAppName}');
end;

function CommandLineHas(const Switch: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Switch) = 0 then
    begin
      Result := True;
      Exit;
    end;
end;

function AskDeleteUserData(const Folder: String): Boolean;
var
  Question: String;
begin
  Question := CustomMessage('AskDeleteUserData') + #13#10#13#10 + Folder + #13#10#13#10 +
    CustomMessage('UserDataContents');
  { Suppressible, answering IDNO: /SUPPRESSMSGBOXES also keeps the data. A plain MsgBox would still
    show with /SUPPRESSMSGBOXES. }
  Result := SuppressibleMsgBox(Question, mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  Folder := UserDataDir();
  if CurUninstallStep = usUninstall then
  begin
    { usUninstall: the user has confirmed the uninstall; nothing has been removed yet. }
    DeleteUserData := False;
    if DirExists(Folder) then
    begin
      if CommandLineHas('/PURGEDATA') then
        DeleteUserData := True
      else if not UninstallSilent() then
        DeleteUserData := AskDeleteUserData(Folder);
    end;
    if DeleteUserData then
      Log('The user data folder will be deleted: ' + Folder)
    else
      Log('The user data folder is kept: ' + Folder);
  end
  else if (CurUninstallStep = usPostUninstall) and DeleteUserData then
  begin
    { usPostUninstall: the program's files are gone, so nothing of the studio holds the data open. }
    if not DelTree(Folder, True, True, True) then
    begin
      Log('Could not delete all of ' + Folder);
      if not UninstallSilent() then
        SuppressibleMsgBox(CustomMessage('DeleteUserDataFailed') + #13#10#13#10 + Folder, mbError, MB_OK, IDOK);
    end;
    { %LOCALAPPDATA%\CommuneRadio goes too, but only when nothing else is in it. }
    RemoveDir(ExpandConstant('{localappdata}\{#DataAuthor}'));
  end;
end;
