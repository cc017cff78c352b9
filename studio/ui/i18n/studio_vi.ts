<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi">
<context>
    <name>AccountForm</name>
    <message>
        <source>Add an account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Reset the password</source>
        <translation>Đặt lại mật khẩu</translation>
    </message>
    <message>
        <source>Change the role</source>
        <translation>Đổi vai trò</translation>
    </message>
    <message>
        <source>The new person logs in with this user name and password. Give them the password in person.</source>
        <translation>Người mới sẽ đăng nhập bằng tên đăng nhập và mật khẩu này. Hãy đưa mật khẩu tận tay cho người đó.</translation>
    </message>
    <message>
        <source>A new password for “{name}”. Give it to them in person; the account is also unlocked.</source>
        <translation>Mật khẩu mới cho “{name}”. Hãy đưa tận tay cho người đó; tài khoản cũng được mở khóa.</translation>
    </message>
    <message>
        <source>What “{name}” may do in the studio:</source>
        <translation>Việc “{name}” được làm trong phòng thu:</translation>
    </message>
    <message>
        <source>for example: Trần Thị Bình</source>
        <translation>ví dụ: Trần Thị Bình</translation>
    </message>
    <message>
        <source>Show the password</source>
        <translation>Hiện mật khẩu</translation>
    </message>
    <message>
        <source>User name: small letters and digits without spaces or accents, for example “binh.tran”. Password: at least {count} characters.</source>
        <translation>Tên đăng nhập: chữ thường không dấu và chữ số, không có khoảng trắng, ví dụ “binh.tran”. Mật khẩu: ít nhất {count} ký tự.</translation>
    </message>
    <message>
        <source>At least {count} characters.</source>
        <translation>Ít nhất {count} ký tự.</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Vai trò:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <source>Add the account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Set the password</source>
        <translation>Đặt mật khẩu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Type a user name.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>Type a password.</source>
        <translation>Hãy nhập mật khẩu.</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type the password again in the second box.</source>
        <translation>Hai mật khẩu không giống nhau. Hãy nhập lại mật khẩu vào ô thứ hai.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
</context>
<context>
    <name>AccountPage</name>
    <message>
        <source>The administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <source>The person who manages the studio: accounts for the officers and reviewers, the station&apos;s rules and the controller. Keep the password somewhere safe.</source>
        <translation>Người quản lý phòng thu: tài khoản của cán bộ và người duyệt, quy định của đài và bộ điều khiển. Hãy cất mật khẩu ở nơi an toàn.</translation>
    </message>
    <message>
        <source>e.g. Nguyễn Văn An</source>
        <translation>ví dụ: Nguyễn Văn An</translation>
    </message>
    <message>
        <source>e.g. quantri</source>
        <translation>ví dụ: quantri</translation>
    </message>
    <message>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>The people who use this studio. Each logs in with their own name and password; the role says what they may do.</source>
        <translation>Những người sử dụng phòng thu này. Mỗi người đăng nhập bằng tên và mật khẩu riêng; vai trò cho biết người đó được làm những việc gì.</translation>
    </message>
    <message>
        <source>Only an administrator can change accounts. To add an account, change a role or reset a password, ask the station&apos;s administrator.</source>
        <translation>Chỉ quản trị viên mới được thay đổi tài khoản. Muốn thêm tài khoản, đổi vai trò hay đặt lại mật khẩu, hãy nhờ quản trị viên của đài.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>Thêm tài khoản…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Đặt lại mật khẩu…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>Đổi vai trò…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Ngừng sử dụng</translation>
    </message>
    <message>
        <source>A disabled account cannot log in; its work stays in the studio.</source>
        <translation>Tài khoản đã ngừng sử dụng thì không đăng nhập được; công việc của người đó vẫn được giữ trong phòng thu.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>Let a person locked out after wrong passwords try again now.</source>
        <translation>Cho người bị khóa vì nhập sai mật khẩu được thử lại ngay.</translation>
    </message>
    <message>
        <source>Opening the list of accounts…</source>
        <translation>Đang mở danh sách tài khoản…</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Ngừng sử dụng</translation>
    </message>
    <message>
        <source>Locked for {minutes} more minutes</source>
        <translation>Bị khóa thêm {minutes} phút</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Đang sử dụng</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Cho dùng lại</translation>
    </message>
    <message>
        <source>The account “{name}” was added as {role}.</source>
        <translation>Đã thêm tài khoản “{name}” với vai trò {role}.</translation>
    </message>
    <message>
        <source>The password of “{name}” was changed.</source>
        <translation>Đã đổi mật khẩu của “{name}”.</translation>
    </message>
    <message>
        <source>“{name}” is now {role}.</source>
        <translation>“{name}” nay có vai trò {role}.</translation>
    </message>
    <message>
        <source>The studio ran into a problem; nothing was changed.</source>
        <translation>Phòng thu gặp sự cố; chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>“{name}” can log in again.</source>
        <translation>“{name}” đã có thể đăng nhập lại.</translation>
    </message>
    <message>
        <source>“{name}” can use the studio again.</source>
        <translation>“{name}” được dùng phòng thu trở lại.</translation>
    </message>
    <message>
        <source>“{name}” can no longer log in.</source>
        <translation>“{name}” không còn đăng nhập được nữa.</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>edit bulletins</source>
        <translation>sửa bản tin</translation>
    </message>
    <message>
        <source>submit for approval</source>
        <translation>gửi duyệt</translation>
    </message>
    <message>
        <source>approve</source>
        <translation>phê duyệt</translation>
    </message>
    <message>
        <source>request changes</source>
        <translation>yêu cầu sửa</translation>
    </message>
    <message>
        <source>comment</source>
        <translation>góp ý</translation>
    </message>
    <message>
        <source>render</source>
        <translation>tạo tệp âm thanh</translation>
    </message>
    <message>
        <source>deliver</source>
        <translation>gửi đi phát</translation>
    </message>
    <message>
        <source>withdraw</source>
        <translation>rút lại</translation>
    </message>
    <message>
        <source>reopen</source>
        <translation>mở lại</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>quản lý tài khoản</translation>
    </message>
    <message>
        <source>change station rules</source>
        <translation>thay đổi quy định của đài</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>The studio cannot start</source>
        <translation>Không thể mở Phòng thu</translation>
    </message>
    <message>
        <source>The studio&apos;s data folder ({folder}) is in use by the studio on the computer “{host}”. Close the studio there first, then start it here again.</source>
        <translation>Thư mục dữ liệu của Phòng thu ({folder}) đang được Phòng thu trên máy tính “{host}” sử dụng. Hãy đóng Phòng thu ở máy đó trước, rồi mở lại ở máy này.</translation>
    </message>
    <message>
        <source>The studio is already open on this computer but does not answer. Close it (or restart the computer), then start the studio again.</source>
        <translation>Phòng thu đã mở trên máy tính này nhưng không phản hồi. Hãy đóng Phòng thu (hoặc khởi động lại máy tính), rồi mở lại.</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <extracomment>Every action code the studio writes (``grep -rn &apos;_audit(&apos; studio``), in words. Unknown codes show as stored.</extracomment>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Everything done in the studio is written here in order. Each entry is sealed to the one before it, so a change made outside the studio shows when the log is checked.</source>
        <translation>Mọi thao tác trong phần mềm đều được ghi lại ở đây theo thứ tự. Mỗi mục được niêm phong nối với mục đứng trước, nên mọi thay đổi làm bên ngoài phần mềm sẽ bị phát hiện khi kiểm tra nhật ký.</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Đến ngày:</translation>
    </message>
    <message>
        <source>Person or action</source>
        <translation>Người thực hiện hoặc thao tác</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Tìm:</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>Xem thêm</translation>
    </message>
    <message>
        <source>Show older entries of the period</source>
        <translation>Hiện thêm các mục cũ hơn trong khoảng thời gian này</translation>
    </message>
    <message>
        <source>Check the chain</source>
        <translation>Kiểm tra tính toàn vẹn</translation>
    </message>
    <message>
        <source>Check that no entry of the whole log was changed, deleted or reordered since it was written</source>
        <translation>Kiểm tra xem trong toàn bộ nhật ký có mục nào bị sửa, xóa hay đảo thứ tự sau khi ghi hay không</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Save the entries of the period as a table for Excel</source>
        <translation>Lưu các mục trong khoảng thời gian này thành bảng để mở bằng Excel</translation>
    </message>
    <message>
        <source>Export for printing (HTML)…</source>
        <translation>Xuất bản để in (HTML)…</translation>
    </message>
    <message>
        <source>Save the entries of the period as a page to print, sign and file, with the result of the check</source>
        <translation>Lưu các mục trong khoảng thời gian này thành trang để in, ký và lưu hồ sơ, kèm kết quả kiểm tra</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Reading the audit log…</source>
        <translation>Đang đọc nhật ký thao tác…</translation>
    </message>
    <message>
        <source>No entry matches “{text}” from {first} to {last}.</source>
        <translation>Không có mục nào khớp với “{text}” từ ngày {first} đến ngày {last}.</translation>
    </message>
    <message>
        <source>No entries from {first} to {last}.</source>
        <translation>Không có mục nào từ ngày {first} đến ngày {last}.</translation>
    </message>
    <message>
        <source>Showing the newest {shown} of {total} entries from {first} to {last}.</source>
        <translation>Đang hiện {shown} mục mới nhất trong tổng số {total} mục từ ngày {first} đến ngày {last}.</translation>
    </message>
    <message>
        <source>{total} entries from {first} to {last}, newest first.</source>
        <translation>{total} mục từ ngày {first} đến ngày {last}, mục mới nhất ở trên cùng.</translation>
    </message>
    <message>
        <source>Checking the whole audit log…</source>
        <translation>Đang kiểm tra toàn bộ nhật ký thao tác…</translation>
    </message>
    <message>
        <source>It is not among the entries listed: choose other days, or clear the search box, to see it.</source>
        <translation>Mục này không có trong danh sách đang hiện: hãy chọn ngày khác hoặc xóa ô tìm kiếm để xem.</translation>
    </message>
    <message>
        <source>audit-log</source>
        <translation>nhat-ky-thao-tac</translation>
    </message>
    <message>
        <source>Export the audit log as CSV</source>
        <translation>Xuất nhật ký thao tác ra tệp CSV</translation>
    </message>
    <message>
        <source>CSV tables (*.csv)</source>
        <translation>Bảng CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the audit log for printing</source>
        <translation>Xuất nhật ký thao tác để in</translation>
    </message>
    <message>
        <source>Web pages (*.html *.htm)</source>
        <translation>Trang web (*.html *.htm)</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>Đang ghi {file}…</translation>
    </message>
    <message>
        <source>Wrote {count} entries to {path}.</source>
        <translation>Đã ghi {count} mục vào {path}.</translation>
    </message>
    <message>
        <source>The log is not intact; the printed page says so.</source>
        <translation>Nhật ký không còn nguyên vẹn; trang in có ghi rõ điều này.</translation>
    </message>
    <message>
        <source>Account changed</source>
        <translation>Sửa tài khoản</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>Tạo tài khoản</translation>
    </message>
    <message>
        <source>Account {value}</source>
        <translation>Tài khoản {value}</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Approved audio file made</source>
        <translation>Tạo tệp âm thanh cho bản tin đã duyệt</translation>
    </message>
    <message>
        <source>Approved by its own writer (single-person mode)</source>
        <translation>Người soạn tự phê duyệt (chế độ một người)</translation>
    </message>
    <message>
        <source>Audio file made</source>
        <translation>Tạo tệp âm thanh</translation>
    </message>
    <message>
        <source>Audio file {value}</source>
        <translation>Tệp âm thanh {value}</translation>
    </message>
    <message>
        <source>Bulletin approved</source>
        <translation>Phê duyệt bản tin</translation>
    </message>
    <message>
        <source>Bulletin created</source>
        <translation>Tạo bản tin</translation>
    </message>
    <message>
        <source>Bulletin deleted</source>
        <translation>Xóa bản tin</translation>
    </message>
    <message>
        <source>Bulletin delivered</source>
        <translation>Gửi bản tin đi phát</translation>
    </message>
    <message>
        <source>Bulletin reopened</source>
        <translation>Mở lại bản tin</translation>
    </message>
    <message>
        <source>Bulletin saved</source>
        <translation>Lưu bản tin</translation>
    </message>
    <message>
        <source>Bulletin withdrawn</source>
        <translation>Rút bản tin</translation>
    </message>
    <message>
        <source>Bulletin {value}</source>
        <translation>Bản tin {value}</translation>
    </message>
    <message>
        <source>Bulletin “{title}”</source>
        <translation>Bản tin “{title}”</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>Yêu cầu sửa bản tin</translation>
    </message>
    <message>
        <source>Comment added</source>
        <translation>Thêm góp ý</translation>
    </message>
    <message>
        <source>Delivery failed</source>
        <translation>Gửi thất bại</translation>
    </message>
    <message>
        <source>Delivery succeeded</source>
        <translation>Gửi thành công</translation>
    </message>
    <message>
        <source>Delivery target added</source>
        <translation>Thêm nơi nhận</translation>
    </message>
    <message>
        <source>Delivery target {value}</source>
        <translation>Nơi nhận {value}</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Intact: {count} entries checked. No entry was changed, deleted or reordered. Last hash: {hash}</source>
        <translation>Nguyên vẹn: đã kiểm tra {count} mục. Không có mục nào bị sửa, xóa hay đảo thứ tự. Mã băm cuối: {hash}</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation>Đăng nhập không thành công</translation>
    </message>
    <message>
        <source>Login refused: account locked</source>
        <translation>Từ chối đăng nhập: tài khoản đang bị khóa</translation>
    </message>
    <message>
        <source>Music bed segments changed</source>
        <translation>Đổi loại mục có nhạc nền</translation>
    </message>
    <message>
        <source>NOT intact: an entry before entry {id} was deleted, or entries were reordered.</source>
        <translation>KHÔNG còn nguyên vẹn: một mục đứng trước mục số {id} đã bị xóa, hoặc thứ tự các mục đã bị đảo.</translation>
    </message>
    <message>
        <source>NOT intact: entry {id} was edited after it was written.</source>
        <translation>KHÔNG còn nguyên vẹn: mục số {id} đã bị sửa sau khi ghi.</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Đổi mật khẩu</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Sent for approval</source>
        <translation>Gửi phê duyệt</translation>
    </message>
    <message>
        <source>Someone changed the database outside the studio. Tell the commune&apos;s leaders, and keep the printed copies of the log.</source>
        <translation>Đã có người can thiệp vào cơ sở dữ liệu bên ngoài phần mềm. Hãy báo cáo lãnh đạo xã và giữ lại các bản in nhật ký.</translation>
    </message>
    <message>
        <source>Station created</source>
        <translation>Tạo đài</translation>
    </message>
    <message>
        <source>Station jingle changed</source>
        <translation>Đổi nhạc hiệu</translation>
    </message>
    <message>
        <source>Station rules changed</source>
        <translation>Đổi quy định của đài</translation>
    </message>
    <message>
        <source>Station {value}</source>
        <translation>Đài {value}</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>The studio (automatic)</source>
        <translation>Phần mềm (tự động)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
</context>
<context>
    <name>BoothDialog</name>
    <message>
        <source>Recording booth — {title}</source>
        <translation>Phòng thu — {title}</translation>
    </message>
    <message>
        <source>The microphone the take is recorded from (remembered on this PC)</source>
        <translation>Micrô dùng để thu (máy này sẽ nhớ lựa chọn)</translation>
    </message>
    <message>
        <source>Count 3-2-1 first</source>
        <translation>Đếm 3-2-1 trước khi thu</translation>
    </message>
    <message>
        <source>Reduce background noise</source>
        <translation>Giảm tiếng ồn nền</translation>
    </message>
    <message>
        <source>For a noisy room (a fan, traffic): new takes are cleaned of the steady noise heard in their pauses. The recording as made is kept too.</source>
        <translation>Dùng khi phòng ồn (quạt, xe cộ): các bản thu mới được lọc bớt tiếng ồn đều nghe thấy ở các chỗ ngắt. Bản thu gốc vẫn được giữ lại.</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>Micrô:</translation>
    </message>
    <message>
        <source>Length of the take against the estimated reading time</source>
        <translation>Độ dài bản thu so với thời gian đọc ước tính</translation>
    </message>
    <message>
        <source>(This segment has no text.)</source>
        <translation>(Đoạn này chưa có nội dung.)</translation>
    </message>
    <message>
        <source>Scroll at the reading speed</source>
        <translation>Tự cuộn theo tốc độ đọc</translation>
    </message>
    <message>
        <source>Text size:</source>
        <translation>Cỡ chữ:</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>Start recording after the count-in (Space)</source>
        <translation>Bắt đầu thu sau khi đếm ngược (phím Cách)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Stop recording and keep the take (Space)</source>
        <translation>Dừng thu và giữ bản thu (phím Cách)</translation>
    </message>
    <message>
        <source>Retake</source>
        <translation>Thu lại</translation>
    </message>
    <message>
        <source>Stop and record the text again from the start; the take just made is kept too (R)</source>
        <translation>Dừng và thu lại từ đầu; bản vừa thu vẫn được giữ (phím R)</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>Bản thu</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Thời điểm thu</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Độ dài</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức âm</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>Các bản thu</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Nghe</translation>
    </message>
    <message>
        <source>Play the selected take as it will sound (P)</source>
        <translation>Phát bản thu đã chọn như khi lên sóng (phím P)</translation>
    </message>
    <message>
        <source>Listen as recorded</source>
        <translation>Nghe bản gốc</translation>
    </message>
    <message>
        <source>Play the selected take before clean-up, exactly as the microphone heard it</source>
        <translation>Phát bản thu đã chọn trước khi làm sạch, đúng như micrô đã thu</translation>
    </message>
    <message>
        <source>Use this take</source>
        <translation>Dùng bản này</translation>
    </message>
    <message>
        <source>The programme plays the selected take (U)</source>
        <translation>Chương trình sẽ phát bản thu đã chọn (phím U)</translation>
    </message>
    <message>
        <source>Clean up again</source>
        <translation>Làm sạch lại</translation>
    </message>
    <message>
        <source>Make a new take from the selected one&apos;s original recording with the current noise setting</source>
        <translation>Tạo bản thu mới từ bản gốc của bản đã chọn, theo thiết lập giảm ồn hiện tại</translation>
    </message>
    <message>
        <source>Import recording…</source>
        <translation>Nhập bản ghi âm…</translation>
    </message>
    <message>
        <source>Add a recording made elsewhere (a phone): MP3, WAV, M4A, OGG or FLAC</source>
        <translation>Thêm bản ghi âm thu ở nơi khác (điện thoại): MP3, WAV, M4A, OGG hoặc FLAC</translation>
    </message>
    <message>
        <source>Use the voice instead</source>
        <translation>Dùng giọng đọc máy</translation>
    </message>
    <message>
        <source>Play the synthetic voice for this segment again; the takes are kept</source>
        <translation>Dùng lại giọng đọc máy cho đoạn này; các bản thu vẫn được giữ</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Close the booth (Esc)</source>
        <translation>Đóng phòng thu (phím Esc)</translation>
    </message>
    <message>
        <source>Keys: Space record/stop · R retake · P listen · U use this take</source>
        <translation>Phím: Cách thu/dừng · R thu lại · P nghe · U dùng bản này</translation>
    </message>
    <message>
        <source>Takes (★ is played in the programme):</source>
        <translation>Các bản thu (★ là bản được phát trong chương trình):</translation>
    </message>
    <message>
        <source>{device} (the computer&apos;s default)</source>
        <translation>{device} (mặc định của máy)</translation>
    </message>
    <message>
        <source>No microphone is connected to this computer. Plug one in and it appears here; you can still import a recording made elsewhere.</source>
        <translation>Máy tính này chưa cắm micrô. Cắm micrô vào thì nó sẽ hiện ở đây; bạn vẫn có thể nhập bản ghi âm thu ở nơi khác.</translation>
    </message>
    <message>
        <source>The booth folder {path} cannot be written: {error}</source>
        <translation>Không ghi được vào thư mục phòng thu {path}: {error}</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Đang thu</translation>
    </message>
    <message>
        <source>Keeping the take…</source>
        <translation>Đang lưu bản thu…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>Import a recording</source>
        <translation>Nhập bản ghi âm</translation>
    </message>
    <message>
        <source>Recordings ({patterns});;All files (*)</source>
        <translation>Bản ghi âm ({patterns});;Tất cả các tệp (*)</translation>
    </message>
    <message>
        <source>clipped: too loud</source>
        <translation>bị vỡ tiếng: quá to</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>nhập từ tệp</translation>
    </message>
    <message>
        <source>noise reduced</source>
        <translation>đã giảm ồn</translation>
    </message>
    <message>
        <source>{peak:.0f} dB peak</source>
        <translation>đỉnh {peak:.0f} dB</translation>
    </message>
    <message>
        <source>The programme plays this take</source>
        <translation>Chương trình phát bản thu này</translation>
    </message>
</context>
<context>
    <name>BroadcastPage</name>
    <message>
        <source>When you broadcast</source>
        <translation>Giờ phát sóng</translation>
    </message>
    <message>
        <source>The usual times and days: every new bulletin starts with them, and you change them per bulletin.</source>
        <translation>Giờ và ngày phát thường lệ: mỗi bản tin mới bắt đầu với lịch này, và bạn có thể đổi cho từng bản tin.</translation>
    </message>
    <message>
        <source>Broadcast at</source>
        <translation>Phát lúc</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Usual times:</source>
        <translation>Giờ thường lệ:</translation>
    </message>
    <message>
        <source>Days:</source>
        <translation>Các ngày:</translation>
    </message>
    <message>
        <source>Longest session:</source>
        <translation>Buổi phát dài nhất:</translation>
    </message>
    <message>
        <source>Sessions a day:</source>
        <translation>Số buổi mỗi ngày:</translation>
    </message>
</context>
<context>
    <name>Bulletin</name>
    <message>
        <source>Station ident</source>
        <translation>Giới thiệu đài</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>Lời chào</translation>
    </message>
    <message>
        <source>News item</source>
        <translation>Tin tức</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Thông báo</translation>
    </message>
    <message>
        <source>Closing</source>
        <translation>Lời kết</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Thông thường</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
</context>
<context>
    <name>BulletinListModel</name>
    <message>
        <source>(untitled)</source>
        <translation>(chưa có tiêu đề)</translation>
    </message>
    <message>
        <source>{state} · {priority} · {count} segments · {changed}</source>
        <translation>{state} · {priority} · {count} đoạn · {changed}</translation>
    </message>
</context>
<context>
    <name>BundleActions</name>
    <message>
        <source>Export to file…</source>
        <translation>Xuất ra tệp…</translation>
    </message>
    <message>
        <source>Save the bulletin with its recordings and jingles in one file, to continue on another PC</source>
        <translation>Lưu bản tin cùng các bản thu và nhạc hiệu vào một tệp, để làm tiếp trên máy khác</translation>
    </message>
    <message>
        <source>Import from file…</source>
        <translation>Nhập từ tệp…</translation>
    </message>
    <message>
        <source>Add a bulletin exported on another PC, as a new draft</source>
        <translation>Thêm một bản tin đã xuất từ máy khác, thành một bản nháp mới</translation>
    </message>
    <message>
        <source>Open a bulletin first, then export it.</source>
        <translation>Hãy mở một bản tin trước, rồi xuất bản tin đó.</translation>
    </message>
    <message>
        <source>Export the bulletin to a file</source>
        <translation>Xuất bản tin ra tệp</translation>
    </message>
    <message>
        <source>Bulletin files (*.bantin)</source>
        <translation>Tệp bản tin (*.bantin)</translation>
    </message>
    <message>
        <source>Cancelled. No file was written.</source>
        <translation>Đã hủy. Chưa ghi tệp nào.</translation>
    </message>
    <message>
        <source>“{title}” was exported to {path} ({size}).</source>
        <translation>Đã xuất “{title}” ra {path} ({size}).</translation>
    </message>
    <message>
        <source>Import a bulletin file</source>
        <translation>Nhập tệp bản tin</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was imported.</source>
        <translation>Đã hủy. Chưa nhập gì.</translation>
    </message>
    <message>
        <source>“{title}” was imported as bulletin No. {number}: a draft, to review and approve on this PC.</source>
        <translation>Đã nhập “{title}” thành bản tin số {number}: một bản nháp, cần được duyệt và phê duyệt trên máy này.</translation>
    </message>
    <message>
        <source>Use its jingles for this station</source>
        <translation>Dùng nhạc hiệu của bản tin cho đài này</translation>
    </message>
    <message>
        <source>The station now plays the jingles the bulletin was made with.</source>
        <translation>Đài nay phát các nhạc hiệu và nhạc nền mà bản tin đã dùng.</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Exported “{title}” with {takes} recordings to {path} ({size}).</source>
        <translation>Đã xuất “{title}” kèm {takes} bản thu ra {path} ({size}).</translation>
    </message>
    <message>
        <source>Import again with --use-jingles to make them this station&apos;s.</source>
        <translation>Nhập lại với --use-jingles để đài này dùng các nhạc hiệu đó.</translation>
    </message>
    <message>
        <source>Imported “{title}” as bulletin No. {number}, a draft to review on this PC.</source>
        <translation>Đã nhập “{title}” thành bản tin số {number}, một bản nháp cần duyệt trên máy này.</translation>
    </message>
    <message>
        <source>Name a bulletin (its number from “studio list”) or give --text FILE.</source>
        <translation>Hãy nêu bản tin (số thứ tự trong “studio list”) hoặc dùng --text TỆP.</translation>
    </message>
    <message>
        <source>Password again: </source>
        <translation>Nhập lại mật khẩu: </translation>
    </message>
    <message>
        <source>Password or token for {name}: </source>
        <translation>Mật khẩu hoặc mã truy cập của {name}: </translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Mật khẩu: </translation>
    </message>
    <message>
        <source>The approval no longer matches the content (a preset, jingle or setting changed).</source>
        <translation>Phê duyệt không còn khớp với nội dung (giọng đọc, nhạc hiệu hoặc cài đặt đã thay đổi).</translation>
    </message>
    <message>
        <source>The audit log is broken at entry {id}: an entry before it was deleted, or entries were reordered.</source>
        <translation>Nhật ký thao tác bị phá vỡ tại mục {id}: một mục đứng trước đã bị xóa, hoặc thứ tự các mục đã bị đảo.</translation>
    </message>
    <message>
        <source>The audit log is broken at entry {id}: the entry was changed after it was written.</source>
        <translation>Nhật ký thao tác bị phá vỡ tại mục {id}: mục này đã bị sửa sau khi ghi.</translation>
    </message>
    <message>
        <source>The audit log is intact: {count} entries, last hash {hash}.</source>
        <translation>Nhật ký thao tác còn nguyên vẹn: {count} mục, mã băm cuối {hash}.</translation>
    </message>
    <message>
        <source>The controller listens on {url} and publishes into {folder}. Press Ctrl+C to stop.</source>
        <translation>Máy điều khiển đang lắng nghe tại {url} và đưa chương trình vào thư mục {folder}. Nhấn Ctrl+C để dừng.</translation>
    </message>
    <message>
        <source>The controller stopped.</source>
        <translation>Máy điều khiển đã dừng.</translation>
    </message>
    <message>
        <source>Trusted host key {fingerprint} ({key_type}) for {name}.</source>
        <translation>Đã tin cậy khóa máy chủ {fingerprint} ({key_type}) của {name}.</translation>
    </message>
    <message>
        <source>Warning: the audit log is not intact (see “studio audit verify”); the export says so.</source>
        <translation>Cảnh báo: nhật ký thao tác không còn nguyên vẹn (xem “studio audit verify”); bản xuất có ghi rõ điều này.</translation>
    </message>
    <message>
        <source>Warning: without --tls-cert the access key and the programmes travel unencrypted. Use TLS when other computers connect.</source>
        <translation>Cảnh báo: khi không có --tls-cert, khóa truy cập và các chương trình được truyền đi mà không được mã hóa. Hãy dùng TLS khi có máy tính khác kết nối tới.</translation>
    </message>
    <message>
        <source>Wrote {count} audit entries from {first} to {last} to {path}.</source>
        <translation>Đã ghi {count} mục nhật ký thao tác từ {first} đến {last} vào {path}.</translation>
    </message>
    <message>
        <source>already delivered</source>
        <translation>đã gửi từ trước</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>đã xếp hàng</translation>
    </message>
</context>
<context>
    <name>ControllerPage</name>
    <message>
        <source>The broadcast controller</source>
        <translation>Bộ điều khiển phát thanh</translation>
    </message>
    <message>
        <source>Where finished programmes go: the controller of the commune&apos;s IP loudspeakers (its folder, FTP or SFTP server, or web address). You can skip this and set it later in Station → Delivery targets.</source>
        <translation>Nơi nhận các chương trình đã hoàn thành: bộ điều khiển hệ thống loa IP của xã (thư mục, máy chủ FTP hoặc SFTP, hoặc địa chỉ web). Bạn có thể bỏ qua bước này và thiết lập sau trong Đài → Nơi nhận.</translation>
    </message>
    <message>
        <source>Connect to the controller now</source>
        <translation>Kết nối với bộ điều khiển ngay bây giờ</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Thử kết nối</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Đang thử kết nối…</translation>
    </message>
    <message>
        <source>The connection works: {description}</source>
        <translation>Kết nối hoạt động: {description}</translation>
    </message>
    <message>
        <source>Key trusted. Press Test connection again.</source>
        <translation>Đã tin cậy khóa. Hãy bấm Thử kết nối lần nữa.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>The studio ran into a problem</source>
        <translation>Phòng thu gặp sự cố</translation>
    </message>
    <message>
        <source>Something went wrong inside the studio. This is a fault in the program, not something you did.
Work that was saved is safe. Please copy the details below and send them to the person who looks after this computer or the studio.</source>
        <translation>Đã xảy ra lỗi bên trong phần mềm. Đây là lỗi của chương trình, không phải do bạn thao tác sai.
Những gì đã lưu vẫn an toàn. Xin sao chép thông tin chi tiết bên dưới và gửi cho người phụ trách máy tính hoặc phần mềm này.</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>Tệp nhật ký: {path}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Sao chép chi tiết</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Mở thư mục nhật ký</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Đã sao chép</translation>
    </message>
</context>
<context>
    <name>EditorPanel</name>
    <message>
        <source>Title of the bulletin</source>
        <translation>Tiêu đề bản tin</translation>
    </message>
    <message>
        <source>Emergency bulletins are played at once (disaster, fire, epidemic)</source>
        <translation>Bản tin khẩn cấp được phát ngay (thiên tai, hỏa hoạn, dịch bệnh)</translation>
    </message>
    <message>
        <source>Estimated reading time of the whole bulletin, pauses included (without jingles)</source>
        <translation>Thời lượng đọc ước tính của cả bản tin, kể cả các khoảng nghỉ (chưa tính nhạc hiệu)</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Tiêu đề:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Mức ưu tiên:</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>Lịch phát:</translation>
    </message>
    <message>
        <source>Add segment</source>
        <translation>Thêm đoạn</translation>
    </message>
    <message>
        <source>Add a segment at the end of the bulletin</source>
        <translation>Thêm một đoạn vào cuối bản tin</translation>
    </message>
    <message>
        <source>Choose a bulletin on the left, or start a new one.</source>
        <translation>Chọn một bản tin trong danh sách bên trái, hoặc tạo bản tin mới.</translation>
    </message>
    <message>
        <source>Segment {number}: {start}</source>
        <translation>Đoạn {number}: {start}</translation>
    </message>
    <message>
        <source>Reading time: {time}</source>
        <translation>Thời lượng đọc: {time}</translation>
    </message>
</context>
<context>
    <name>EmergencyNotifier</name>
    <message>
        <source>Emergency programme “{title}” was delivered to {target}.</source>
        <translation>Chương trình khẩn cấp “{title}” đã được gửi tới {target}.</translation>
    </message>
    <message>
        <source>Emergency programme delivered</source>
        <translation>Đã gửi chương trình khẩn cấp</translation>
    </message>
    <message>
        <source>Commune Radio Studio</source>
        <translation>Phòng thu Đài truyền thanh xã</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>Press Finish to set up the studio.</source>
        <translation>Bấm Hoàn tất để thiết lập phòng thu.</translation>
    </message>
    <message>
        <source>Start with a sample bulletin to try things out</source>
        <translation>Tạo sẵn một bản tin mẫu để dùng thử</translation>
    </message>
    <message>
        <source>Station: {station}
Usual times: {times}
Administrator: {user}
Controller: {controller}</source>
        <translation>Đài: {station}
Giờ thường lệ: {times}
Quản trị viên: {user}
Bộ điều khiển: {controller}</translation>
    </message>
    <message>
        <source>later</source>
        <translation>thiết lập sau</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Setting up Commune Radio Studio</source>
        <translation>Thiết lập Phòng thu Đài truyền thanh xã</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>Tiếp &gt;</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; Quay lại</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>User guide</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>The user guide was not installed with the studio.</source>
        <translation>Bản hướng dẫn sử dụng chưa được cài cùng phần mềm.</translation>
    </message>
</context>
<context>
    <name>HostKeyDialog</name>
    <message>
        <source>The controller&apos;s key has changed</source>
        <translation>Khóa của máy điều khiển đã thay đổi</translation>
    </message>
    <message>
        <source>Warning: the controller {host} (port {port}) answered with a different key from the one trusted until now.</source>
        <translation>Cảnh báo: máy điều khiển {host} (cổng {port}) trả lời bằng một khóa khác với khóa được tin cậy từ trước đến nay.</translation>
    </message>
    <message>
        <source>This happens when the controller was reinstalled, or when another machine pretends to be it. Nothing was sent. Replace the trusted key only if the controller&apos;s installer confirms that it was reinstalled and reads out exactly this new fingerprint.</source>
        <translation>Điều này xảy ra khi máy điều khiển được cài đặt lại, hoặc khi có một máy khác giả danh máy điều khiển. Chưa có gì được gửi đi. Chỉ thay khóa được tin cậy khi người cài đặt máy điều khiển xác nhận máy đã được cài đặt lại và đọc cho bạn đúng dấu vân tay mới này.</translation>
    </message>
    <message>
        <source>Trust the controller&apos;s key?</source>
        <translation>Tin cậy khóa của máy điều khiển?</translation>
    </message>
    <message>
        <source>The studio does not know the controller {host} (port {port}) yet.</source>
        <translation>Phòng thu chưa biết máy điều khiển {host} (cổng {port}).</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one the controller&apos;s installer gives you. Trust the key only if every character is the same.</source>
        <translation>Hãy so sánh dấu vân tay này với dấu vân tay do người cài đặt máy điều khiển cung cấp. Chỉ tin cậy khóa khi mọi ký tự đều giống hệt nhau.</translation>
    </message>
    <message>
        <source>Key type: {key_type}
Fingerprint: {fingerprint}</source>
        <translation>Loại khóa: {key_type}
Dấu vân tay: {fingerprint}</translation>
    </message>
    <message>
        <source>Trusted until now: {fingerprint}</source>
        <translation>Khóa được tin cậy trước đây: {fingerprint}</translation>
    </message>
    <message>
        <source>I checked with the controller&apos;s installer</source>
        <translation>Tôi đã kiểm tra lại với người cài đặt máy điều khiển</translation>
    </message>
    <message>
        <source>Replace the trusted key</source>
        <translation>Thay khóa được tin cậy</translation>
    </message>
    <message>
        <source>Trust this key</source>
        <translation>Tin cậy khóa này</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>JingleDialog</name>
    <message>
        <source>Jingles and music</source>
        <extracomment>The station&apos;s roles, each filled from the category of the same name.</extracomment>
        <translation>Nhạc hiệu và nhạc nền</translation>
    </message>
    <message>
        <source>The station&apos;s jingles and music. The studio&apos;s own are always here; import the station&apos;s own as MP3 or WAV files.</source>
        <translation>Nhạc hiệu và nhạc nền của đài. Nhạc có sẵn của phần mềm luôn có ở đây; nhạc riêng của đài thì nhập vào từ tệp MP3 hoặc WAV.</translation>
    </message>
    <message>
        <source>Openings</source>
        <translation>Nhạc mở đầu</translation>
    </message>
    <message>
        <source>Closings</source>
        <translation>Nhạc kết thúc</translation>
    </message>
    <message>
        <source>Stingers</source>
        <translation>Nhạc chuyển tin</translation>
    </message>
    <message>
        <source>Music beds</source>
        <translation>Nhạc nền</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Độ dài</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Click to hear the jingle from there (arrow keys: 5 seconds, Space: pause)</source>
        <translation>Bấm để nghe nhạc hiệu từ chỗ đó (phím mũi tên: tua 5 giây, phím cách: tạm dừng)</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Nghe thử</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Nhập…</translation>
    </message>
    <message>
        <source>Add an audio file to the list shown</source>
        <translation>Thêm một tệp âm thanh vào danh sách đang xem</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>This station plays</source>
        <translation>Đài sử dụng</translation>
    </message>
    <message>
        <source>Opening jingle:</source>
        <translation>Nhạc hiệu mở đầu:</translation>
    </message>
    <message>
        <source>Closing jingle:</source>
        <translation>Nhạc kết thúc:</translation>
    </message>
    <message>
        <source>Between news items:</source>
        <translation>Giữa các tin:</translation>
    </message>
    <message>
        <source>Music bed:</source>
        <translation>Nhạc nền:</translation>
    </message>
    <message>
        <source>Music bed under:</source>
        <translation>Phát nhạc nền dưới:</translation>
    </message>
    <message>
        <source>Changes are saved at once. Audio files made before them are marked out of date; make them again to hear the change.</source>
        <translation>Thay đổi được lưu ngay. Các tệp âm thanh đã tạo trước đó sẽ được đánh dấu là cũ; hãy tạo lại để nghe thay đổi.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Reading the jingles…</source>
        <translation>Đang đọc danh sách nhạc…</translation>
    </message>
    <message>
        <source>mono</source>
        <translation>đơn kênh</translation>
    </message>
    <message>
        <source>stereo</source>
        <translation>hai kênh</translation>
    </message>
    <message>
        <source>{rate} kHz, {channels}</source>
        <translation>{rate} kHz, {channels}</translation>
    </message>
    <message>
        <source>Comes with the studio</source>
        <translation>Có sẵn trong phần mềm</translation>
    </message>
    <message>
        <source>Imported {date}</source>
        <translation>Nhập ngày {date}</translation>
    </message>
    <message>
        <source>Studio opening</source>
        <translation>Nhạc mở đầu có sẵn</translation>
    </message>
    <message>
        <source>Studio closing</source>
        <translation>Nhạc kết thúc có sẵn</translation>
    </message>
    <message>
        <source>Studio stinger</source>
        <translation>Nhạc chuyển tin có sẵn</translation>
    </message>
    <message>
        <source>Studio music bed</source>
        <translation>Nhạc nền có sẵn</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Không dùng</translation>
    </message>
    <message>
        <source>Missing: {name}</source>
        <translation>Không tìm thấy: {name}</translation>
    </message>
    <message>
        <source>Import an opening jingle</source>
        <translation>Nhập nhạc hiệu mở đầu</translation>
    </message>
    <message>
        <source>Import a closing jingle</source>
        <translation>Nhập nhạc kết thúc</translation>
    </message>
    <message>
        <source>Import a stinger</source>
        <translation>Nhập nhạc chuyển tin</translation>
    </message>
    <message>
        <source>Import a music bed</source>
        <translation>Nhập nhạc nền</translation>
    </message>
    <message>
        <source>Audio files ({patterns});;All files (*)</source>
        <translation>Tệp âm thanh ({patterns});;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Name of the jingle</source>
        <translation>Tên bản nhạc</translation>
    </message>
    <message>
        <source>The name shown in the list:</source>
        <translation>Tên hiển thị trong danh sách:</translation>
    </message>
    <message>
        <source>Checking and importing {file}…</source>
        <translation>Đang kiểm tra và nhập {file}…</translation>
    </message>
    <message>
        <source>“{name}” is already in the list.</source>
        <translation>“{name}” đã có trong danh sách.</translation>
    </message>
    <message>
        <source>“{name}” was imported.</source>
        <translation>Đã nhập “{name}”.</translation>
    </message>
    <message>
        <source>“{name}” was removed.</source>
        <translation>Đã xóa “{name}”.</translation>
    </message>
    <message>
        <source>Remove “{name}” from the station&apos;s jingles? Its file is deleted.</source>
        <translation>Xóa “{name}” khỏi nhạc của đài? Tệp nhạc sẽ bị xóa.</translation>
    </message>
    <message>
        <source>the opening jingle</source>
        <translation>nhạc hiệu mở đầu</translation>
    </message>
    <message>
        <source>the closing jingle</source>
        <translation>nhạc kết thúc</translation>
    </message>
    <message>
        <source>the stinger between news items</source>
        <translation>nhạc chuyển giữa các tin</translation>
    </message>
    <message>
        <source>the music bed</source>
        <translation>nhạc nền</translation>
    </message>
    <message>
        <source>The station uses it as {roles}; the studio&apos;s own will be used instead.</source>
        <translation>Đài đang dùng bản này làm {roles}; nhạc có sẵn của phần mềm sẽ được dùng thay thế.</translation>
    </message>
    <message>
        <source>Remove jingle</source>
        <translation>Xóa bản nhạc</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Không xóa</translation>
    </message>
    <message>
        <source>The studio&apos;s own jingles cannot be removed.</source>
        <translation>Không thể xóa nhạc có sẵn của phần mềm.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>The jingle cannot be played: {reason}</source>
        <translation>Không phát được bản nhạc: {reason}</translation>
    </message>
</context>
<context>
    <name>LanguagesPage</name>
    <message>
        <source>Languages of your commune</source>
        <translation>Các ngôn ngữ trong xã</translation>
    </message>
    <message>
        <source>Bulletins are read in Vietnamese and, under Decree 49/2024/NĐ-CP, in the languages of the ethnic minorities living in the commune.</source>
        <translation>Bản tin được đọc bằng tiếng Việt và, theo Nghị định 49/2024/NĐ-CP, bằng tiếng của các dân tộc thiểu số sinh sống trong xã.</translation>
    </message>
    <message>
        <source>Online voices sound most natural but need the internet; the offline voice always works. The studio falls back to the offline voice by itself.</source>
        <translation>Giọng đọc trực tuyến nghe tự nhiên nhất nhưng cần Internet; giọng ngoại tuyến luôn dùng được. Phòng thu tự chuyển sang giọng ngoại tuyến khi cần.</translation>
    </message>
    <message>
        <source>Minority languages spoken in the commune</source>
        <translation>Các tiếng dân tộc thiểu số dùng trong xã</translation>
    </message>
    <message>
        <source>Voice for Vietnamese:</source>
        <translation>Giọng đọc tiếng Việt:</translation>
    </message>
    <message>
        <source>Minority languages spoken in the commune (tick all that apply):</source>
        <translation>Các tiếng dân tộc thiểu số dùng trong xã (đánh dấu tất cả các tiếng có):</translation>
    </message>
</context>
<context>
    <name>LevelMeterWidget</name>
    <message>
        <source>Recording level</source>
        <translation>Mức thu</translation>
    </message>
    <message>
        <source>Level {rms:.0f} dB, peak {peak:.0f} dB</source>
        <translation>Mức {rms:.0f} dB, đỉnh {peak:.0f} dB</translation>
    </message>
    <message>
        <source>too loud: the sound clipped</source>
        <translation>quá to: tiếng bị vỡ</translation>
    </message>
    <message>
        <source>CLIP</source>
        <translation>VỠ</translation>
    </message>
</context>
<context>
    <name>LexiconDialog</name>
    <message>
        <source>Pronunciation rules</source>
        <extracomment>Kind of rule → the options field written to the file.</extracomment>
        <translation>Quy tắc phát âm</translation>
    </message>
    <message>
        <source>How the voice should say local names and words. A word rule replaces whole words in any letter case; a regular expression is for patterns.</source>
        <translation>Cách giọng đọc phát âm địa danh và từ ngữ của địa phương. Quy tắc theo từ thay cả từ, dù viết hoa hay thường; biểu thức chính quy dùng cho các mẫu chữ.</translation>
    </message>
    <message>
        <source>Written as</source>
        <translation>Chữ viết</translation>
    </message>
    <message>
        <source>Say as</source>
        <translation>Đọc là</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Thêm quy tắc</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>Xóa quy tắc</translation>
    </message>
    <message>
        <source>Type a sentence with the word, e.g. Huyện Krông Pắc</source>
        <translation>Gõ một câu có từ đó, ví dụ: Huyện Krông Pắc</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Xem trước</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Nghe thử</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>After the rules:</source>
        <translation>Sau khi áp dụng quy tắc:</translation>
    </message>
    <message>
        <source>The voice says:</source>
        <translation>Giọng đọc sẽ đọc:</translation>
    </message>
    <message>
        <source>Try the rules on a sample:</source>
        <translation>Thử quy tắc với một câu mẫu:</translation>
    </message>
    <message>
        <source>The rules file {path} cannot be read: {reason}</source>
        <translation>Không đọc được tệp quy tắc {path}: {reason}</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>Word, exact case</source>
        <translation>Từ, đúng chữ hoa/thường</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>Biểu thức chính quy</translation>
    </message>
    <message>
        <source>Regular expression, any case</source>
        <translation>Biểu thức chính quy, không phân biệt hoa/thường</translation>
    </message>
    <message>
        <source>Cannot be saved as typed: in the rules file “#” starts a note, and the rest of the line would be lost. Leave out the “#” (in a regular expression, write \# for it).</source>
        <translation>Không lưu được như đã gõ: trong tệp quy tắc, dấu “#” mở đầu một ghi chú nên phần còn lại của dòng sẽ mất. Hãy bỏ dấu “#” (trong biểu thức chính quy, viết \# thay cho nó).</translation>
    </message>
    <message>
        <source>Some rules cannot be saved as typed; the Check column says why.</source>
        <translation>Có quy tắc không lưu được như đã gõ; cột Kiểm tra cho biết lý do.</translation>
    </message>
    <message>
        <source>Write the word and how to say it.</source>
        <translation>Hãy ghi cả chữ viết và cách đọc.</translation>
    </message>
    <message>
        <source>Unknown kind of rule.</source>
        <translation>Loại quy tắc không hợp lệ.</translation>
    </message>
    <message>
        <source>A word rule must start and end with a letter or a digit.</source>
        <translation>Quy tắc theo từ phải bắt đầu và kết thúc bằng chữ cái hoặc chữ số.</translation>
    </message>
    <message>
        <source>Not a valid regular expression.</source>
        <translation>Biểu thức chính quy không hợp lệ.</translation>
    </message>
    <message>
        <source>Not used: this pattern repeats a group that itself repeats, which could make the studio hang. Write it without such nesting.</source>
        <translation>Không dùng: mẫu này lặp lại một nhóm mà bên trong cũng lặp lại, có thể làm phần mềm bị treo. Hãy viết lại, không lồng các phép lặp như vậy.</translation>
    </message>
    <message>
        <source>Not used: this pattern can match empty text.</source>
        <translation>Không dùng: mẫu này có thể khớp với chuỗi rỗng.</translation>
    </message>
    <message>
        <source>Not used: the replacement refers to a group the pattern does not have.</source>
        <translation>Không dùng: cách đọc nhắc đến một nhóm mà mẫu không có.</translation>
    </message>
    <message>
        <source>Replaces rule {row}, which has the same text.</source>
        <translation>Thay cho quy tắc {row} có cùng chữ viết.</translation>
    </message>
    <message>
        <source>Not used: rule {row} would change this rule&apos;s output again.</source>
        <translation>Không dùng: quy tắc {row} sẽ lại thay đổi kết quả của quy tắc này.</translation>
    </message>
    <message>
        <source>Its output can join the words around it into the text of rule {row}.</source>
        <translation>Kết quả có thể ghép với các từ bên cạnh thành chữ viết của quy tắc {row}.</translation>
    </message>
    <message>
        <source>Problem: {detail}</source>
        <translation>Có lỗi: {detail}</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Đang chuẩn bị…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Unsaved rules</source>
        <translation>Quy tắc chưa lưu</translation>
    </message>
    <message>
        <source>The rules were changed but not saved. Close anyway?</source>
        <translation>Quy tắc đã được sửa nhưng chưa lưu. Vẫn đóng?</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <source>Search titles and text…</source>
        <extracomment>The bulletin the officer chose last; kept while a search hides it from the list.</extracomment>
        <translation>Tìm theo tiêu đề hoặc nội dung…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Hiển thị</translation>
    </message>
    <message>
        <source>All bulletins</source>
        <translation>Tất cả bản tin</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Mọi mức ưu tiên</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Any language</source>
        <translation>Mọi ngôn ngữ</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Thời gian sửa</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Mọi lúc</translation>
    </message>
    <message>
        <source>Changed today</source>
        <translation>Sửa hôm nay</translation>
    </message>
    <message>
        <source>In the last 7 days</source>
        <translation>Trong 7 ngày qua</translation>
    </message>
    <message>
        <source>In the last 30 days</source>
        <translation>Trong 30 ngày qua</translation>
    </message>
    <message>
        <source>Bulletins</source>
        <translation>Danh sách bản tin</translation>
    </message>
    <message>
        <source>New bulletin</source>
        <translation>Bản tin mới</translation>
    </message>
    <message>
        <source>Start a new bulletin in the standard running order (Ctrl+N)</source>
        <translation>Tạo bản tin mới theo trình tự chuẩn (Ctrl+N)</translation>
    </message>
    <message>
        <source>From template</source>
        <translation>Theo mẫu</translation>
    </message>
    <message>
        <source>Start a new bulletin from one of the station&apos;s templates</source>
        <translation>Tạo bản tin mới theo một mẫu của đài</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Delete the selected bulletin</source>
        <translation>Xóa bản tin đang chọn</translation>
    </message>
    <message>
        <source>New bulletin {date}</source>
        <translation>Bản tin mới {date}</translation>
    </message>
    <message>
        <source>Save this bulletin as a template…</source>
        <translation>Lưu bản tin này làm mẫu…</translation>
    </message>
    <message>
        <source>Delete a template</source>
        <translation>Xóa một mẫu</translation>
    </message>
    <message>
        <source>Delete bulletin</source>
        <translation>Xóa bản tin</translation>
    </message>
    <message>
        <source>Delete “{title}”? Its text and renders are removed from the library.</source>
        <translation>Xóa bản tin “{title}”? Nội dung và các tệp âm thanh của bản tin sẽ bị xóa khỏi thư viện.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Không xóa</translation>
    </message>
</context>
<context>
    <name>LogDialog</name>
    <message>
        <source>Studio log</source>
        <translation>Nhật ký phần mềm</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>Tệp nhật ký: {path}</translation>
    </message>
    <message>
        <source>Only warnings and errors</source>
        <translation>Chỉ cảnh báo và lỗi</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Tải lại</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <source>Copy what is shown, to paste into a message to the installer</source>
        <translation>Sao chép phần đang hiện để dán vào tin nhắn gửi người cài đặt</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>Mở thư mục nhật ký</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>(The log is empty.)</source>
        <translation>(Nhật ký trống.)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>for example: Nguyễn Văn An</source>
        <extracomment>What the dialog is doing: asking the database, logging in, creating the first account, or stuck because the database could not be asked (the main button then tries again). A worker&apos;s answer when someone else created the first account meanwhile (a shared database).</extracomment>
        <translation>ví dụ: Nguyễn Văn An</translation>
    </message>
    <message>
        <source>Show the password</source>
        <translation>Hiện mật khẩu</translation>
    </message>
    <message>
        <source>User name: small letters and digits without spaces or accents, for example “an.nguyen”. Password: at least {count} characters.</source>
        <translation>Tên đăng nhập: chữ thường không dấu và chữ số, không có khoảng trắng, ví dụ “an.nguyen”. Mật khẩu: ít nhất {count} ký tự.</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Password again:</source>
        <translation>Nhập lại mật khẩu:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Opening the list of accounts…</source>
        <translation>Đang mở danh sách tài khoản…</translation>
    </message>
    <message>
        <source>Create the administrator account</source>
        <translation>Tạo tài khoản quản trị viên</translation>
    </message>
    <message>
        <source>No one has an account on this studio yet. First create the administrator account. This account manages the station: it creates the accounts of officers and reviewers.</source>
        <translation>Phòng thu chưa có tài khoản nào. Trước hết, hãy tạo tài khoản quản trị viên. Tài khoản này quản lý đài: dùng để tạo tài khoản cho cán bộ biên tập và người phê duyệt.</translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation>Tạo và đăng nhập</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>Đổi người dùng</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Commune Radio Studio</source>
        <translation>Phòng thu Đài truyền thanh xã</translation>
    </message>
    <message>
        <source>Type your user name and password, then press Log in.</source>
        <translation>Nhập tên đăng nhập và mật khẩu, rồi bấm Đăng nhập.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>Hãy nhập tên đăng nhập.</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>Hãy nhập mật khẩu.</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type the password again in the second box.</source>
        <translation>Hai mật khẩu không giống nhau. Hãy nhập lại mật khẩu vào ô thứ hai.</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>Đang tạo tài khoản…</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>Đang kiểm tra mật khẩu…</translation>
    </message>
    <message>
        <source>An administrator account was created on another computer in the meantime. Log in with your account.</source>
        <translation>Trong lúc này, một tài khoản quản trị viên đã được tạo trên máy tính khác. Hãy đăng nhập bằng tài khoản của mình.</translation>
    </message>
    <message>
        <source>The studio ran into a problem. Try again; if it happens again, send the details shown to the person who looks after this computer.</source>
        <translation>Phòng thu gặp sự cố. Hãy thử lại; nếu vẫn bị, hãy gửi phần thông tin chi tiết hiện ra cho người phụ trách máy tính này.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Commune Radio Studio</source>
        <translation>Phòng thu Đài truyền thanh xã</translation>
    </message>
    <message>
        <source>New bulletin</source>
        <translation>Bản tin mới</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save the bulletin (Ctrl+S)</source>
        <translation>Lưu bản tin (Ctrl+S)</translation>
    </message>
    <message>
        <source>Create audio file</source>
        <translation>Tạo tệp âm thanh</translation>
    </message>
    <message>
        <source>Pronunciation rules…</source>
        <translation>Quy tắc phát âm…</translation>
    </message>
    <message>
        <source>How the voice says local names and words at this station</source>
        <translation>Cách giọng đọc phát âm địa danh và từ ngữ riêng của đài</translation>
    </message>
    <message>
        <source>Jingles and music…</source>
        <translation>Nhạc hiệu và nhạc nền…</translation>
    </message>
    <message>
        <source>The station&apos;s jingles and music bed, and importing its own</source>
        <translation>Nhạc hiệu, nhạc nền của đài và nhập nhạc riêng của đài</translation>
    </message>
    <message>
        <source>Delivery targets…</source>
        <translation>Nơi nhận…</translation>
    </message>
    <message>
        <source>Where programmes go: the controller&apos;s folder, server or API</source>
        <translation>Nơi chương trình được gửi tới: thư mục, máy chủ hoặc giao diện API của máy điều khiển</translation>
    </message>
    <message>
        <source>Usual broadcast times…</source>
        <translation>Giờ phát thường lệ…</translation>
    </message>
    <message>
        <source>The station&apos;s usual broadcast times and loudspeaker zones</source>
        <translation>Giờ phát thường lệ và các cụm loa của đài</translation>
    </message>
    <message>
        <source>Send to controller…</source>
        <translation>Gửi tới máy điều khiển…</translation>
    </message>
    <message>
        <source>Put the approved bulletin into the outbox for the controller</source>
        <translation>Đưa bản tin đã duyệt vào hộp thư đi để gửi tới máy điều khiển</translation>
    </message>
    <message>
        <source>Station logo…</source>
        <translation>Biểu trưng của đài…</translation>
    </message>
    <message>
        <source>A picture shown with every programme in players and file lists</source>
        <translation>Hình ảnh hiện kèm mỗi chương trình trong trình phát và danh sách tệp</translation>
    </message>
    <message>
        <source>Save as template…</source>
        <translation>Lưu làm mẫu…</translation>
    </message>
    <message>
        <source>Keep this bulletin&apos;s running order and wording for new bulletins</source>
        <translation>Giữ trình tự và lời lẽ của bản tin này cho các bản tin mới</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Chữ to hơn</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Chữ nhỏ hơn</translation>
    </message>
    <message>
        <source>Normal text size</source>
        <translation>Cỡ chữ bình thường</translation>
    </message>
    <message>
        <source>Studio log…</source>
        <translation>Nhật ký phần mềm…</translation>
    </message>
    <message>
        <source>What the studio noted while it ran, for the installer</source>
        <translation>Những gì phần mềm ghi lại khi chạy, dành cho người cài đặt</translation>
    </message>
    <message>
        <source>Phrase bank…</source>
        <translation>Kho câu thu sẵn…</translation>
    </message>
    <message>
        <source>Idents, greetings and closings recorded once in each language, approved once, inserted into bulletins</source>
        <translation>Lời giới thiệu đài, lời chào và lời kết thu một lần cho mỗi ngôn ngữ, duyệt một lần, chèn vào các bản tin</translation>
    </message>
    <message>
        <source>Outbox…</source>
        <translation>Hộp thư đi…</translation>
    </message>
    <message>
        <source>Programmes on their way to the controller, and what arrived</source>
        <translation>Các chương trình đang được gửi tới máy điều khiển và những gì đã tới nơi</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Thanh công cụ chính</translation>
    </message>
    <message>
        <source>&amp;Bulletin</source>
        <translation>&amp;Bản tin</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Trợ giúp</translation>
    </message>
    <message>
        <source>Places</source>
        <translation>Các mục</translation>
    </message>
    <message>
        <source>Bulletins</source>
        <translation>Bản tin</translation>
    </message>
    <message>
        <source>Every bulletin, newest first (Ctrl+1)</source>
        <translation>Mọi bản tin, mới nhất trước (Ctrl+1)</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <source>Bulletins waiting for a reviewer&apos;s approval (Ctrl+2)</source>
        <translation>Các bản tin đang chờ người duyệt (Ctrl+2)</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Phrases</source>
        <translation>Kho câu</translation>
    </message>
    <message>
        <source>Jingles</source>
        <translation>Nhạc hiệu</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Text of “{title}” typed at {time} was not saved before the studio stopped.</source>
        <translation>Nội dung của “{title}” gõ lúc {time} chưa được lưu trước khi phần mềm dừng.</translation>
    </message>
    <message>
        <source>Restore it</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <source>Discard it</source>
        <translation>Bỏ đi</translation>
    </message>
    <message>
        <source>The unsaved text was restored.</source>
        <translation>Đã khôi phục nội dung chưa lưu.</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>Đã lưu mọi thay đổi</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Có thay đổi chưa lưu</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Not saved: changed by someone else</source>
        <translation>Chưa lưu: người khác vừa sửa bản tin này</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Chưa lưu được</translation>
    </message>
    <message>
        <source>Keep my text</source>
        <translation>Giữ bản của tôi</translation>
    </message>
    <message>
        <source>Read the bulletin aloud into a broadcast-ready audio file (Ctrl+R)</source>
        <translation>Đọc bản tin thành tệp âm thanh sẵn sàng phát sóng (Ctrl+R)</translation>
    </message>
    <message>
        <source>Switch user…</source>
        <translation>Đổi người dùng…</translation>
    </message>
    <message>
        <source>Log in as another person (the reviewer at this PC)</source>
        <translation>Đăng nhập bằng tài khoản khác (người phê duyệt ở máy này)</translation>
    </message>
    <message>
        <source>Output settings…</source>
        <translation>Cài đặt đầu ra…</translation>
    </message>
    <message>
        <source>Station rules…</source>
        <translation>Quy định của đài…</translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation>Tài khoản…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>Nhật ký thao tác…</translation>
    </message>
    <message>
        <source>&amp;Station</source>
        <translation>Đà&amp;i</translation>
    </message>
    <message>
        <source>Someone changed this bulletin on another PC while you were editing it.</source>
        <translation>Có người đã sửa bản tin này ở máy khác trong khi bạn đang soạn.</translation>
    </message>
    <message>
        <source>Show their version</source>
        <translation>Xem bản của người khác</translation>
    </message>
    <message>
        <source>Updated with changes made on another PC.</source>
        <translation>Đã cập nhật những thay đổi từ máy khác.</translation>
    </message>
    <message>
        <source>Commune Radio Studio — {user}</source>
        <translation>Phòng thu Đài truyền thanh xã — {user}</translation>
    </message>
    <message>
        <source>Save mine as a copy</source>
        <translation>Lưu bản của tôi thành bản sao</translation>
    </message>
    <message>
        <source>Combine both changes</source>
        <translation>Gộp cả hai thay đổi</translation>
    </message>
    <message>
        <source>{title} (copy)</source>
        <translation>{title} (bản sao)</translation>
    </message>
    <message>
        <source>The audio file was not made because the bulletin could not be saved.</source>
        <translation>Chưa tạo được tệp âm thanh vì không lưu được bản tin.</translation>
    </message>
    <message>
        <source>The audio file was not made.</source>
        <translation>Chưa tạo được tệp âm thanh.</translation>
    </message>
    <message>
        <source>Cancelled. No audio file was made.</source>
        <translation>Đã hủy. Không có tệp âm thanh nào được tạo.</translation>
    </message>
    <message>
        <source>Choose the station logo</source>
        <translation>Chọn biểu trưng của đài</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation>Hình ảnh (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Station logo saved: programmes sent from now on carry it.</source>
        <translation>Đã lưu biểu trưng: các chương trình gửi từ nay sẽ kèm hình này.</translation>
    </message>
    <message>
        <source>Text size: {points} points</source>
        <translation>Cỡ chữ: {points} point</translation>
    </message>
    <message>
        <source>The studio will speak the chosen language from the next start.</source>
        <translation>Phần mềm sẽ dùng ngôn ngữ đã chọn từ lần mở sau.</translation>
    </message>
    <message>
        <source>Save as template</source>
        <translation>Lưu làm mẫu</translation>
    </message>
    <message>
        <source>Name of the template (for example: Weekly bulletin, Thái and Vietnamese):</source>
        <translation>Tên mẫu (ví dụ: Bản tin tuần, tiếng Thái và tiếng Việt):</translation>
    </message>
    <message>
        <source>Template “{name}” saved: choose it under “From template”.</source>
        <translation>Đã lưu mẫu “{name}”: chọn mẫu ở nút “Theo mẫu”.</translation>
    </message>
    <message>
        <source>Segment {number} ({kind})</source>
        <translation>Đoạn {number} ({kind})</translation>
    </message>
    <message>
        <source>Open a bulletin first, then insert the phrase into it.</source>
        <translation>Hãy mở một bản tin trước, rồi chèn câu vào đó.</translation>
    </message>
    <message>
        <source>Phrase inserted into the bulletin.</source>
        <translation>Đã chèn câu vào bản tin.</translation>
    </message>
    <message>
        <source>Pronunciation rules saved.</source>
        <translation>Đã lưu quy tắc phát âm.</translation>
    </message>
    <message>
        <source>Close without saving?</source>
        <translation>Đóng mà không lưu?</translation>
    </message>
    <message>
        <source>Your latest changes to “{title}” are not saved. Close anyway and lose them?</source>
        <translation>Những thay đổi mới nhất của bản tin “{title}” chưa được lưu. Vẫn đóng và bỏ các thay đổi đó?</translation>
    </message>
    <message>
        <source>Close and lose the changes</source>
        <translation>Đóng và bỏ thay đổi</translation>
    </message>
    <message>
        <source>Keep the window open</source>
        <translation>Không đóng</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Hide this message</source>
        <translation>Ẩn thông báo này</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>There is no voice preset “{preset}”.</source>
        <translation>Không có giọng đọc “{preset}”.</translation>
    </message>
    <message>
        <source>The delivery folder {path} cannot be reached.</source>
        <translation>Không truy cập được thư mục gửi bản tin {path}.</translation>
    </message>
    <message>
        <source>If it is a network share, check that the other computer is on and the share is connected.</source>
        <translation>Nếu đó là thư mục dùng chung trên mạng, hãy kiểm tra máy tính kia đã bật và thư mục đã được kết nối.</translation>
    </message>
    <message>
        <source>The copy of {name} in {path} is damaged (its content does not match). Nothing was published.</source>
        <translation>Bản sao của {name} trong {path} bị hỏng (nội dung không khớp). Chưa có tệp nào được gửi đi.</translation>
    </message>
    <message>
        <source>“{title}” has nothing to read aloud yet.</source>
        <translation>Bản tin “{title}” chưa có nội dung để đọc.</translation>
    </message>
    <message>
        <source>Add a segment with some text, then render again.</source>
        <translation>Hãy thêm một đoạn có nội dung, rồi tạo lại tệp âm thanh.</translation>
    </message>
    <message>
        <source>Segment {number} is too long to read as one item ({chars} characters, about {minutes} minutes).</source>
        <translation>Đoạn {number} quá dài để đọc liền một lượt ({chars} ký tự, khoảng {minutes} phút).</translation>
    </message>
    <message>
        <source>Split it into several segments of at most {limit} characters.</source>
        <translation>Hãy tách thành nhiều đoạn, mỗi đoạn không quá {limit} ký tự.</translation>
    </message>
    <message>
        <source>This segment is too long to read as one item ({chars} characters, about {minutes} minutes).</source>
        <translation>Đoạn này quá dài để đọc liền một lượt ({chars} ký tự, khoảng {minutes} phút).</translation>
    </message>
    <message>
        <source>The bulletin has {count} segments; at most {limit} can be rendered.</source>
        <translation>Bản tin có {count} đoạn; chỉ tạo được âm thanh cho tối đa {limit} đoạn.</translation>
    </message>
    <message>
        <source>The bulletin is too long to read as one programme ({chars} characters, about {minutes} minutes); at most {limit} characters can be rendered.</source>
        <translation>Bản tin quá dài để đọc thành một chương trình ({chars} ký tự, khoảng {minutes} phút); chỉ tạo được âm thanh cho tối đa {limit} ký tự.</translation>
    </message>
    <message>
        <source>Segment {number} uses the voice preset “{preset}”, which is not installed.</source>
        <translation>Đoạn {number} dùng giọng đọc “{preset}” nhưng giọng này chưa được cài đặt.</translation>
    </message>
    <message>
        <source>The speech engine “{engine}” for segment {number} is not available.</source>
        <translation>Bộ đọc “{engine}” của đoạn {number} hiện không dùng được.</translation>
    </message>
    <message>
        <source>Segment {number} is in a language that must be recorded by an announcer ({preset}).</source>
        <translation>Đoạn {number} viết bằng ngôn ngữ cần phát thanh viên thu âm ({preset_vi}).</translation>
    </message>
    <message>
        <source>The chosen recording of segment {number} is missing from the media library.</source>
        <translation>Không tìm thấy bản thu đã chọn của đoạn {number} trong thư viện âm thanh.</translation>
    </message>
    <message>
        <source>Choose another take of the segment, or record it again.</source>
        <translation>Hãy chọn một bản thu khác của đoạn này, hoặc thu lại.</translation>
    </message>
    <message>
        <source>Segment {number} has nothing to read aloud and was left out.</source>
        <translation>Đoạn {number} không có nội dung để đọc nên đã được bỏ qua.</translation>
    </message>
    <message>
        <source>Segment {number} was read by the offline voice because the online voice could not be reached.</source>
        <translation>Đoạn {number} được đọc bằng giọng ngoại tuyến vì không kết nối được với giọng đọc trực tuyến.</translation>
    </message>
    <message>
        <source>Segment {number} ({preset}) was LEFT OUT: only an online voice can read it and it cannot be reached now. Connect to the internet and render again, or record this segment.</source>
        <translation>Đoạn {number} ({preset_vi}) ĐÃ BỊ BỎ QUA: chỉ giọng đọc trực tuyến đọc được đoạn này, nhưng hiện không kết nối được. Hãy kết nối Internet rồi tạo lại tệp âm thanh, hoặc thu âm đoạn này.</translation>
    </message>
    <message>
        <source>No segment could be read: the online voices cannot be reached and these languages have no offline voice. Connect to the internet, or record the segments.</source>
        <translation>Không đọc được đoạn nào: không kết nối được giọng đọc trực tuyến và các ngôn ngữ này không có giọng đọc ngoại tuyến. Hãy kết nối Internet, hoặc thu âm các đoạn.</translation>
    </message>
    <message>
        <source>Connect to the internet, or record this segment with an announcer.</source>
        <translation>Hãy kết nối Internet, hoặc nhờ phát thanh viên thu âm đoạn này.</translation>
    </message>
    <message>
        <source>The jingle “{name}” was not found and was left out.</source>
        <translation>Không tìm thấy nhạc hiệu “{name}” nên đã bỏ qua.</translation>
    </message>
    <message>
        <source>Log in first: this station has accounts.</source>
        <translation>Hãy đăng nhập trước: đài này đã có tài khoản.</translation>
    </message>
    <message>
        <source>No station is set up yet. Run “studio demo” or the first-run set-up.</source>
        <translation>Chưa thiết lập đài. Hãy chạy “studio demo” hoặc bước thiết lập lần đầu.</translation>
    </message>
    <message>
        <source>Delivery target “{name}” has an unsupported kind “{kind}”.</source>
        <translation>Nơi nhận “{name}” có kiểu “{kind}” chưa được hỗ trợ.</translation>
    </message>
    <message>
        <source>{path} is not a PNG or JPEG picture of at most 1 MB.</source>
        <translation>{path} không phải là ảnh PNG hoặc JPEG có dung lượng tối đa 1 MB.</translation>
    </message>
    <message>
        <source>The picture {path} cannot be read: {reason}</source>
        <translation>Không đọc được ảnh {path}: {reason}</translation>
    </message>
    <message>
        <source>That take does not belong to this segment.</source>
        <translation>Bản thu này không thuộc đoạn này.</translation>
    </message>
    <message>
        <source>Delivery target “{name}” is switched off.</source>
        <translation>Nơi nhận “{name}” đang bị tắt.</translation>
    </message>
    <message>
        <source>No delivery target is set up, or all of them are switched off.</source>
        <translation>Chưa thiết lập nơi nhận nào, hoặc tất cả đều đang bị tắt.</translation>
    </message>
    <message>
        <source>Ask the installer to set up the controller under Station → Delivery targets.</source>
        <translation>Hãy nhờ người cài đặt thiết lập máy điều khiển trong Đài → Nơi nhận.</translation>
    </message>
    <message>
        <source>The delivery target was removed meanwhile.</source>
        <translation>Nơi nhận này vừa bị xóa.</translation>
    </message>
    <message>
        <source>The programme was not delivered (state: {state}).</source>
        <translation>Chương trình chưa được gửi đi (trạng thái: {state}).</translation>
    </message>
    <message>
        <source>Correct the schedule (it needs a new approval), then send again.</source>
        <translation>Hãy sửa lịch phát (lịch mới cần được duyệt lại), rồi gửi lại.</translation>
    </message>
    <message>
        <source>The text file {path} cannot be read as UTF-8 text. Save it as “Unicode (UTF-8)” and try again.</source>
        <translation>Không đọc được tệp văn bản {path} theo bảng mã UTF-8. Hãy lưu lại tệp với kiểu mã “Unicode (UTF-8)” rồi thử lại.</translation>
    </message>
    <message>
        <source>The voice preset “{preset}” is not installed.</source>
        <translation>Giọng đọc “{preset}” chưa được cài đặt.</translation>
    </message>
    <message>
        <source>{preset} has no voice: record this segment with an announcer.</source>
        <translation>{preset_vi} không có giọng máy đọc: hãy nhờ phát thanh viên thu âm đoạn này.</translation>
    </message>
    <message>
        <source>Only an online voice can read {preset}, and it cannot be reached now.</source>
        <translation>Chỉ giọng đọc trực tuyến đọc được {preset_vi}, nhưng hiện không kết nối được.</translation>
    </message>
    <message>
        <source>The file {path} cannot be opened: {reason}</source>
        <translation>Không mở được tệp {path}: {reason}</translation>
    </message>
    <message>
        <source>The offline voice (eSpeak NG) could not be loaded: {reason}</source>
        <translation>Không tải được giọng đọc ngoại tuyến (eSpeak NG): {reason}</translation>
    </message>
    <message>
        <source>Its files are missing or damaged: reinstall Commune Radio Studio to restore it.</source>
        <translation>Các tệp của giọng đọc bị thiếu hoặc hỏng: hãy cài đặt lại Phòng thu Đài truyền thanh xã để khôi phục.</translation>
    </message>
    <message>
        <source>The offline voice engine has no voice called “{voice}”.</source>
        <translation>Bộ đọc ngoại tuyến không có giọng “{voice}”.</translation>
    </message>
    <message>
        <source>Choose vi (Northern), vi-vn-x-central or vi-vn-x-south in the language preset.</source>
        <translation>Trong thiết lập giọng đọc, hãy chọn vi (giọng Bắc), vi-vn-x-central (giọng Trung) hoặc vi-vn-x-south (giọng Nam).</translation>
    </message>
    <message>
        <source>This segment has nothing to read aloud.</source>
        <translation>Đoạn này không có nội dung để đọc.</translation>
    </message>
    <message>
        <source>It contains only punctuation, symbols or spaces. Write the words, or remove the segment.</source>
        <translation>Đoạn chỉ có dấu câu, ký hiệu hoặc khoảng trắng. Hãy viết nội dung, hoặc xóa đoạn này.</translation>
    </message>
    <message>
        <source>The offline voice “{voice}” could not read any of this segment.</source>
        <translation>Giọng đọc ngoại tuyến “{voice}” không đọc được chữ nào trong đoạn này.</translation>
    </message>
    <message>
        <source>Check the text is in the voice&apos;s language; scripts such as Tai Viet need a recorded take.</source>
        <translation>Hãy kiểm tra văn bản có đúng ngôn ngữ của giọng đọc; chữ viết như chữ Thái (Tai Viet) cần được thu âm.</translation>
    </message>
    <message>
        <source>The offline voice stopped with error {code}.</source>
        <translation>Giọng đọc ngoại tuyến dừng lại do lỗi {code}.</translation>
    </message>
    <message>
        <source>The studio&apos;s database cannot be opened: {reason}</source>
        <translation>Không mở được cơ sở dữ liệu của Phòng thu: {reason}</translation>
    </message>
    <message>
        <source>If the database is on another computer, check the network and the address in the settings.</source>
        <translation>Nếu cơ sở dữ liệu nằm trên máy tính khác, hãy kiểm tra kết nối mạng và địa chỉ trong phần cài đặt.</translation>
    </message>
    <message>
        <source>Updating the database failed; your data is unchanged. A copy is kept in {backup}.</source>
        <translation>Cập nhật cơ sở dữ liệu không thành công; dữ liệu vẫn giữ nguyên. Bản sao lưu được cất tại {backup}.</translation>
    </message>
    <message>
        <source>Bulletin {ref} was not found.</source>
        <translation>Không tìm thấy bản tin {ref}.</translation>
    </message>
    <message>
        <source>Someone else saved “{title}” while you were editing. Your text is kept; reload to see theirs.</source>
        <translation>Người khác đã lưu bản tin “{title}” trong lúc bạn đang sửa. Nội dung của bạn vẫn được giữ nguyên; hãy tải lại để xem bản của họ.</translation>
    </message>
    <message>
        <source>The account of {user} was disabled or removed meanwhile: log in again with another account.</source>
        <translation>Tài khoản của {user} vừa bị khóa hoặc bị xóa: hãy đăng nhập lại bằng tài khoản khác.</translation>
    </message>
    <message>
        <source>There is no delivery target called “{name}”.</source>
        <translation>Không có nơi nhận nào tên “{name}”.</translation>
    </message>
    <message>
        <source>A delivery target called “{name}” already exists.</source>
        <translation>Đã có nơi nhận tên “{name}”.</translation>
    </message>
    <message>
        <source>The station is missing from the database.</source>
        <translation>Không tìm thấy thông tin đài trong cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>A bulletin with its recordings is much smaller. Ask the sender to check the file.</source>
        <translation>Một bản tin kèm các bản thu nhỏ hơn thế nhiều. Hãy nhờ người gửi kiểm tra lại tệp.</translation>
    </message>
    <message>
        <source>A session lasts between {low} and {high} minutes, and a station has 1 to 24 sessions a day.</source>
        <translation>Mỗi buổi phát dài từ {low} đến {high} phút, và mỗi ngày đài có từ 1 đến 24 buổi.</translation>
    </message>
    <message>
        <source>A take recorded before the studio closed ({when}) was found and added to the takes.</source>
        <translation>Đã tìm thấy một bản thu ghi trước khi phần mềm bị đóng ({when}) và đã thêm vào các bản thu.</translation>
    </message>
    <message>
        <source>A template needs a name.</source>
        <translation>Mẫu cần có tên.</translation>
    </message>
    <message>
        <source>Ask the controller&apos;s operator to delete old programmes. The studio will try again later.</source>
        <translation>Hãy nhờ người quản lý máy điều khiển xóa bớt các chương trình cũ. Phòng thu sẽ tự thử lại sau.</translation>
    </message>
    <message>
        <source>Ask the installer to set the controller&apos;s CA certificate file in Delivery targets.</source>
        <translation>Hãy nhờ người cài đặt nhập tệp chứng chỉ CA của máy điều khiển vào mục Nơi nhận.</translation>
    </message>
    <message>
        <source>Bulletin files end in .bantin; the studio makes them with Bulletin → Export to file…</source>
        <translation>Tệp bản tin có đuôi .bantin; phòng thu tạo tệp này bằng Bản tin → Xuất ra tệp…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Đã hủy.</translation>
    </message>
    <message>
        <source>Check that the microphone is plugged in, switched on and not muted, then record the take again.</source>
        <translation>Hãy kiểm tra micrô đã được cắm, đã bật và không bị tắt tiếng, rồi thu lại bản thu này.</translation>
    </message>
    <message>
        <source>Check that the microphone is plugged in, then record the rest of the text as a new take.</source>
        <translation>Hãy kiểm tra micrô đã được cắm chắc chưa, rồi thu phần còn lại của bài thành một bản thu mới.</translation>
    </message>
    <message>
        <source>Check the controller&apos;s address, or ask its supplier whether it implements the Studio Controller API.</source>
        <translation>Hãy kiểm tra lại địa chỉ máy điều khiển, hoặc hỏi nhà cung cấp xem máy có hỗ trợ Studio Controller API (giao diện nhận chương trình của Phòng thu) không.</translation>
    </message>
    <message>
        <source>Check the internet connection and the controller&apos;s address. The studio will try again by itself.</source>
        <translation>Hãy kiểm tra kết nối internet và địa chỉ của máy điều khiển. Phòng thu sẽ tự thử lại.</translation>
    </message>
    <message>
        <source>Choose another folder, or ask the installer to give this account permission to write there.</source>
        <translation>Hãy chọn thư mục khác, hoặc nhờ người cài đặt cấp quyền ghi vào thư mục đó cho tài khoản này.</translation>
    </message>
    <message>
        <source>Choose another take for that segment (or record it again, or import the jingle again), then export again.</source>
        <translation>Hãy chọn bản thu khác cho đoạn đó (hoặc thu lại, hoặc nhập lại nhạc hiệu), rồi xuất lại.</translation>
    </message>
    <message>
        <source>Choose at least one usual broadcast time and one day of the week.</source>
        <translation>Hãy chọn ít nhất một giờ phát thường lệ và một ngày trong tuần.</translation>
    </message>
    <message>
        <source>Choose the recording itself: an MP3, WAV, M4A, OGG or FLAC file from the recorder or phone.</source>
        <translation>Hãy chọn đúng tệp ghi âm: tệp MP3, WAV, M4A, OGG hoặc FLAC lấy từ máy ghi âm hoặc điện thoại.</translation>
    </message>
    <message>
        <source>Clear the read-only box in the file&apos;s Properties, or render the programme again.</source>
        <translation>Bỏ chọn ô “Chỉ đọc” trong Thuộc tính của tệp, hoặc tạo lại tệp âm thanh.</translation>
    </message>
    <message>
        <source>Copy the access key again from the controller&apos;s installer and paste it in Delivery targets.</source>
        <translation>Hãy chép lại khóa truy cập do người cài đặt máy điều khiển cung cấp và dán vào mục Nơi nhận.</translation>
    </message>
    <message>
        <source>Copy the file again from the other PC (or export the bulletin there again), then import the new copy.</source>
        <translation>Hãy chép lại tệp từ máy kia (hoặc xuất lại bản tin ở máy đó), rồi nhập bản vừa chép.</translation>
    </message>
    <message>
        <source>Cut it into shorter parts in an audio program, one part per segment, and import each part.</source>
        <translation>Hãy dùng một chương trình xử lý âm thanh để cắt thành các phần ngắn hơn, mỗi đoạn một phần, rồi nhập từng phần.</translation>
    </message>
    <message>
        <source>Delivery target “{name}” has no folder.</source>
        <translation>Nơi nhận “{name}” chưa có thư mục.</translation>
    </message>
    <message>
        <source>Delivery target “{name}” has no server address.</source>
        <translation>Nơi nhận “{name}” chưa có địa chỉ máy chủ.</translation>
    </message>
    <message>
        <source>Delivery target “{name}” has no user name.</source>
        <translation>Nơi nhận “{name}” chưa có tên đăng nhập.</translation>
    </message>
    <message>
        <source>Edit or export it again in an audio program, then import it again.</source>
        <translation>Hãy sửa hoặc xuất lại tệp bằng một chương trình âm thanh, rồi nhập lại.</translation>
    </message>
    <message>
        <source>Enter the controller&apos;s final address in Delivery targets (often https:// instead of http://).</source>
        <translation>Hãy nhập địa chỉ cuối cùng của máy điều khiển vào mục Nơi nhận (thường là https:// thay cho http://).</translation>
    </message>
    <message>
        <source>Export it again as MP3 or M4A, which are much smaller, or cut it into shorter parts.</source>
        <translation>Hãy xuất lại dưới dạng MP3 hoặc M4A (nhỏ hơn nhiều), hoặc cắt thành các phần ngắn hơn.</translation>
    </message>
    <message>
        <source>Export the programme again from the studio, or ask whoever sent it for a fresh copy.</source>
        <translation>Hãy xuất lại chương trình từ phần mềm, hoặc nhờ người gửi gửi lại bản mới.</translation>
    </message>
    <message>
        <source>Free some space (empty the Recycle Bin, delete old renders) and try again.</source>
        <translation>Hãy giải phóng dung lượng (dọn Thùng rác, xóa các tệp âm thanh cũ) rồi thử lại.</translation>
    </message>
    <message>
        <source>It may have been unplugged, or another program is using it. Plug it in again or choose another microphone, then press Record again.</source>
        <translation>Có thể micrô đã bị rút ra, hoặc một chương trình khác đang dùng nó. Hãy cắm lại hoặc chọn micrô khác, rồi bấm Thu lại.</translation>
    </message>
    <message>
        <source>It was probably cut off while copying. Copy it again.</source>
        <translation>Có lẽ tệp bị cắt ngang khi sao chép. Hãy sao chép lại.</translation>
    </message>
    <message>
        <source>No microphone is connected to this computer.</source>
        <translation>Máy tính này chưa được cắm micrô nào.</translation>
    </message>
    <message>
        <source>On Windows the Credential Manager is used. On Linux, install and unlock a keyring (GNOME Keyring or KWallet).</source>
        <translation>Trên Windows, phòng thu dùng Trình quản lý thông tin đăng nhập (Credential Manager). Trên Linux, hãy cài và mở khóa một kho khóa (GNOME Keyring hoặc KWallet).</translation>
    </message>
    <message>
        <source>Open Delivery targets and enter an address like https://controller.example:8750 (without a user name, password or question mark).</source>
        <translation>Hãy mở mục Nơi nhận và nhập một địa chỉ dạng https://controller.example:8750 (không kèm tên người dùng, mật khẩu hay dấu chấm hỏi).</translation>
    </message>
    <message>
        <source>Open Delivery targets, enter the right password and press “Test connection”.</source>
        <translation>Mở mục Nơi nhận, nhập đúng mật khẩu rồi bấm “Kiểm tra kết nối”.</translation>
    </message>
    <message>
        <source>Open Station → Delivery targets, enter it and press “Test connection”.</source>
        <translation>Mở Đài → Nơi nhận, nhập mật khẩu rồi bấm “Kiểm tra kết nối”.</translation>
    </message>
    <message>
        <source>Plug in the microphone (or the USB sound card it is connected to), wait a few seconds and press Record again. Everything else in the studio works without a microphone.</source>
        <translation>Hãy cắm micrô (hoặc card âm thanh USB nối với micrô), chờ vài giây rồi bấm Thu lại. Mọi chức năng khác của phòng thu vẫn dùng được khi không có micrô.</translation>
    </message>
    <message>
        <source>Processing the audio took longer than {seconds} s and was stopped.</source>
        <translation>Xử lý âm thanh mất hơn {seconds} giây nên đã bị dừng.</translation>
    </message>
    <message>
        <source>Record the whole sentence again.</source>
        <translation>Hãy thu lại trọn vẹn cả câu.</translation>
    </message>
    <message>
        <source>Reinstall Commune Radio Studio.</source>
        <translation>Hãy cài đặt lại Commune Radio Studio.</translation>
    </message>
    <message>
        <source>Render the programme again to get a fresh MP3 file.</source>
        <translation>Hãy tạo lại tệp âm thanh để có tệp MP3 mới.</translation>
    </message>
    <message>
        <source>Render the programme again to get a fresh audio file.</source>
        <translation>Hãy tạo lại tệp âm thanh để có tệp mới.</translation>
    </message>
    <message>
        <source>Render the programme again, then deliver it.</source>
        <translation>Hãy tạo lại tệp âm thanh của chương trình rồi gửi lại.</translation>
    </message>
    <message>
        <source>Restore it from a backup, or move it away to start a new list (the jingle files stay).</source>
        <translation>Hãy khôi phục từ bản sao lưu, hoặc chuyển tệp đó đi nơi khác để bắt đầu danh sách mới (các tệp nhạc hiệu vẫn được giữ).</translation>
    </message>
    <message>
        <source>The access key for the controller {host} is empty or contains spaces.</source>
        <translation>Khóa truy cập của máy điều khiển {host} đang để trống hoặc có chứa khoảng trắng.</translation>
    </message>
    <message>
        <source>The address of delivery target “{name}” must start with http:// or https://.</source>
        <translation>Địa chỉ của nơi nhận “{name}” phải bắt đầu bằng http:// hoặc https://.</translation>
    </message>
    <message>
        <source>The audio file {name} cannot be read. It may be damaged or not an audio file.</source>
        <translation>Không đọc được tệp âm thanh {name}. Tệp có thể bị hỏng hoặc không phải là tệp âm thanh.</translation>
    </message>
    <message>
        <source>The audio file {name} contains no sound.</source>
        <translation>Tệp âm thanh {name} không có tiếng.</translation>
    </message>
    <message>
        <source>The audio file {name} is incomplete: it should last {expected} s, but only {actual} s play.</source>
        <translation>Tệp âm thanh {name} không đầy đủ: lẽ ra dài {expected} giây nhưng chỉ phát được {actual} giây.</translation>
    </message>
    <message>
        <source>The audio file {path} does not exist.</source>
        <translation>Không có tệp âm thanh {path}.</translation>
    </message>
    <message>
        <source>The audio file {path} in the studio&apos;s library is missing or damaged; the bulletin file was not written.</source>
        <translation>Tệp âm thanh {path} trong thư viện của phòng thu bị thiếu hoặc bị hỏng; chưa ghi tệp bản tin.</translation>
    </message>
    <message>
        <source>The bulletin file “{name}” is damaged or incomplete; nothing was imported.</source>
        <translation>Tệp bản tin “{name}” bị hỏng hoặc không đầy đủ; chưa nhập gì.</translation>
    </message>
    <message>
        <source>The bulletin file “{name}” is too large to import ({size}; at most {limit}).</source>
        <translation>Tệp bản tin “{name}” quá lớn, không nhập được ({size}; tối đa {limit}).</translation>
    </message>
    <message>
        <source>The bulletin file “{name}” names a file outside its own folder; nothing was imported.</source>
        <translation>Tệp bản tin “{name}” có tên tệp trỏ ra ngoài thư mục của nó; chưa nhập gì.</translation>
    </message>
    <message>
        <source>The bulletin file “{name}” was made by a newer version of the studio ({version}).</source>
        <translation>Tệp bản tin “{name}” được tạo bằng phiên bản phòng thu mới hơn ({version}).</translation>
    </message>
    <message>
        <source>The bulletin was made with other station jingles than this station&apos;s. They are now in the jingle library; use them for this station to make it sound the same (every bulletin then plays them, and approved bulletins need a new approval).</source>
        <translation>Bản tin được làm với nhạc hiệu, nhạc nền khác với của đài này. Chúng nay đã có trong thư viện nhạc hiệu; hãy dùng chúng cho đài này để bản tin nghe giống hệt (khi đó mọi bản tin đều phát chúng, và các bản tin đã phê duyệt cần được phê duyệt lại).</translation>
    </message>
    <message>
        <source>The certificate file {path} of delivery target “{name}” does not exist.</source>
        <translation>Không tìm thấy tệp chứng chỉ {path} của nơi nhận “{name}”.</translation>
    </message>
    <message>
        <source>The connection to {host} was lost during the upload: {reason}</source>
        <translation>Mất kết nối tới {host} trong khi đang gửi: {reason}</translation>
    </message>
    <message>
        <source>The controller address {url} cannot be used.</source>
        <translation>Không dùng được địa chỉ máy điều khiển {url}.</translation>
    </message>
    <message>
        <source>The controller {host} answered with a redirection (HTTP {status}); the studio does not follow it.</source>
        <translation>Máy điều khiển {host} trả lời bằng một lệnh chuyển hướng (HTTP {status}); Phòng thu không đi theo lệnh này.</translation>
    </message>
    <message>
        <source>The controller {host} cannot be reached: {reason}</source>
        <translation>Không kết nối được tới máy điều khiển {host}: {reason}</translation>
    </message>
    <message>
        <source>The controller {host} could not take the request right now ({reason}).</source>
        <translation>Máy điều khiển {host} tạm thời chưa nhận được yêu cầu ({reason}).</translation>
    </message>
    <message>
        <source>The controller {host} gave an answer the studio does not understand: {reason}</source>
        <translation>Máy điều khiển {host} trả lời theo cách mà Phòng thu không hiểu được: {reason}</translation>
    </message>
    <message>
        <source>The controller {host} has no space left for {name}.</source>
        <translation>Máy điều khiển {host} đã hết chỗ để lưu {name}.</translation>
    </message>
    <message>
        <source>The controller {host} refused the user name or password.</source>
        <translation>Máy điều khiển {host} không chấp nhận tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>The controller {host} refused {name}: {reason}</source>
        <translation>Máy điều khiển {host} từ chối nhận {name}: {reason}</translation>
    </message>
    <message>
        <source>The controller&apos;s certificate file {path} cannot be used: {reason}</source>
        <translation>Không dùng được tệp chứng chỉ của máy điều khiển {path}: {reason}</translation>
    </message>
    <message>
        <source>The delivery failed unexpectedly: {reason}</source>
        <translation>Việc gửi bị lỗi ngoài dự kiến: {reason}</translation>
    </message>
    <message>
        <source>The details are in the studio&apos;s log file.</source>
        <translation>Chi tiết có trong tệp nhật ký của phần mềm.</translation>
    </message>
    <message>
        <source>The disk is full while writing {path}.</source>
        <translation>Ổ đĩa đã đầy khi đang ghi {path}.</translation>
    </message>
    <message>
        <source>The file was not made by the studio or was changed afterwards. Ask the sender to export the bulletin again.</source>
        <translation>Tệp này không do phòng thu tạo ra, hoặc đã bị sửa sau đó. Hãy nhờ người gửi xuất lại bản tin.</translation>
    </message>
    <message>
        <source>The file {name} is not a sound recording: it looks like a document or a picture.</source>
        <translation>Tệp {name} không phải là tệp ghi âm: có vẻ đây là một văn bản hoặc một hình ảnh.</translation>
    </message>
    <message>
        <source>The file {name} is {size} MB; a recording may be at most {limit} MB.</source>
        <translation>Tệp {name} có dung lượng {size} MB; một tệp ghi âm chỉ được tối đa {limit} MB.</translation>
    </message>
    <message>
        <source>The file {path} is read-only, so its tags cannot be written.</source>
        <translation>Tệp {path} chỉ cho phép đọc nên không ghi được thông tin thẻ.</translation>
    </message>
    <message>
        <source>The jingle {name} comes with the studio and cannot be removed.</source>
        <translation>Nhạc hiệu {name} đi kèm phần mềm nên không thể xóa.</translation>
    </message>
    <message>
        <source>The jingle {name} has a sample rate of {rate} Hz; the studio accepts {low} to {high} Hz.</source>
        <translation>Nhạc hiệu {name} có tần số lấy mẫu {rate} Hz; phần mềm chỉ nhận từ {low} đến {high} Hz.</translation>
    </message>
    <message>
        <source>The jingle {name} has {channels} channels; the studio accepts mono or stereo only.</source>
        <translation>Nhạc hiệu {name} có {channels} kênh; phần mềm chỉ nhận âm thanh đơn kênh (mono) hoặc hai kênh (stereo).</translation>
    </message>
    <message>
        <source>The jingle {name} lasts {duration} s; a {category} jingle may last at most {limit} s.</source>
        <translation>Nhạc hiệu {name} dài {duration} giây; loại “{category}” chỉ được dài tối đa {limit} giây.</translation>
    </message>
    <message>
        <source>The jingle {name} lasts {duration} s; a {category} jingle must last at least {limit} s.</source>
        <translation>Nhạc hiệu {name} dài {duration} giây; loại “{category}” phải dài ít nhất {limit} giây.</translation>
    </message>
    <message>
        <source>The microphone “{device}” could not be opened.</source>
        <translation>Không mở được micrô “{device}”.</translation>
    </message>
    <message>
        <source>The microphone “{device}” stopped sending sound during the take. The take was kept with what was recorded until then ({duration}).</source>
        <translation>Micrô “{device}” ngừng truyền âm thanh giữa chừng khi đang thu. Bản thu vẫn được giữ lại với phần đã thu đến lúc đó ({duration}).</translation>
    </message>
    <message>
        <source>The password of delivery target “{name}” is not stored on this computer.</source>
        <translation>Máy tính này chưa lưu mật khẩu của nơi nhận “{name}”.</translation>
    </message>
    <message>
        <source>The password store refused to keep the password: {reason}</source>
        <translation>Kho mật khẩu không lưu được mật khẩu: {reason}</translation>
    </message>
    <message>
        <source>The port of delivery target “{name}” must be a number from 1 to 65535.</source>
        <translation>Cổng của nơi nhận “{name}” phải là số từ 1 đến 65535.</translation>
    </message>
    <message>
        <source>The programme description {path} does not exist.</source>
        <translation>Không có tệp mô tả chương trình {path}.</translation>
    </message>
    <message>
        <source>The programme file {path} cannot be read, or it changed after it was prepared for delivery.</source>
        <translation>Không đọc được tệp chương trình {path}, hoặc tệp đã bị thay đổi sau khi được chuẩn bị để gửi đi.</translation>
    </message>
    <message>
        <source>The recorder may have stopped before saving. Copy the file again, or record the take again.</source>
        <translation>Có thể máy ghi âm đã dừng trước khi lưu. Hãy chép lại tệp, hoặc thu lại bản thu này.</translation>
    </message>
    <message>
        <source>The recording is safe in {path}; it is added to the takes the next time the booth opens.</source>
        <translation>Bản ghi âm vẫn an toàn trong {path}; nó sẽ được thêm vào các bản thu lần tới khi mở phòng thu.</translation>
    </message>
    <message>
        <source>The recording {name} is empty: it holds no sound at all.</source>
        <translation>Tệp ghi âm {name} trống: không có chút âm thanh nào.</translation>
    </message>
    <message>
        <source>The recording {name} is incomplete: the end of the file is missing, and none of it can be played.</source>
        <translation>Tệp ghi âm {name} không đầy đủ: phần cuối của tệp bị thiếu nên không phát được chút nào.</translation>
    </message>
    <message>
        <source>The recording {name} is silent: the microphone picked up nothing.</source>
        <translation>Tệp ghi âm {name} hoàn toàn im lặng: micrô không thu được gì.</translation>
    </message>
    <message>
        <source>The recording {name} lasts {duration} s; a take must last at least {limit} s.</source>
        <translation>Tệp ghi âm {name} dài {duration} giây; một bản thu phải dài ít nhất {limit} giây.</translation>
    </message>
    <message>
        <source>The recording {name} lasts {minutes} minutes; a take may last at most {limit} minutes.</source>
        <translation>Tệp ghi âm {name} dài {minutes} phút; một bản thu chỉ được dài tối đa {limit} phút.</translation>
    </message>
    <message>
        <source>The station needs a name.</source>
        <translation>Đài cần có tên.</translation>
    </message>
    <message>
        <source>The station&apos;s jingle list {path} is damaged.</source>
        <translation>Danh sách nhạc hiệu của đài ({path}) bị hỏng.</translation>
    </message>
    <message>
        <source>The studio cannot trust the certificate of the controller {host} ({reason}). Nothing was sent.</source>
        <translation>Phòng thu không thể tin cậy chứng chỉ của máy điều khiển {host} ({reason}). Chưa có gì được gửi đi.</translation>
    </message>
    <message>
        <source>The studio cannot write to {path}.</source>
        <translation>Phòng thu không ghi được vào {path}.</translation>
    </message>
    <message>
        <source>The studio could not write the audio file {name}.</source>
        <translation>Phần mềm không ghi được tệp âm thanh {name}.</translation>
    </message>
    <message>
        <source>The studio will send it again.</source>
        <translation>Phòng thu sẽ gửi lại.</translation>
    </message>
    <message>
        <source>The studio will try again by itself and continue where the upload stopped.</source>
        <translation>Phòng thu sẽ tự thử lại và gửi tiếp từ chỗ bị ngắt.</translation>
    </message>
    <message>
        <source>The studio will try again. If it keeps failing, send the log file to the installer.</source>
        <translation>Phòng thu sẽ thử lại. Nếu vẫn lỗi, hãy gửi tệp nhật ký cho người cài đặt.</translation>
    </message>
    <message>
        <source>The studio&apos;s audio tool (ffmpeg) is missing or cannot start.</source>
        <translation>Công cụ xử lý âm thanh của phần mềm (ffmpeg) bị thiếu hoặc không khởi động được.</translation>
    </message>
    <message>
        <source>The studio&apos;s own templates cannot be deleted.</source>
        <translation>Không thể xóa các mẫu có sẵn của phần mềm.</translation>
    </message>
    <message>
        <source>The template was deleted meanwhile.</source>
        <translation>Mẫu đã bị xóa trong lúc này.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>Hai mật khẩu không giống nhau.</translation>
    </message>
    <message>
        <source>The voice “{preset}” is not installed.</source>
        <translation>Giọng đọc “{preset}” chưa được cài đặt.</translation>
    </message>
    <message>
        <source>There is a template called “{name}” already; choose another name.</source>
        <translation>Đã có mẫu tên “{name}”; hãy chọn tên khác.</translation>
    </message>
    <message>
        <source>This computer has no secure password store, so the password cannot be kept.</source>
        <translation>Máy tính này không có kho mật khẩu an toàn nên không thể lưu mật khẩu.</translation>
    </message>
    <message>
        <source>This file was imported before: it is bulletin No. {number}, “{title}”. Nothing new was added.</source>
        <translation>Tệp này đã được nhập trước đây: đó là bản tin số {number}, “{title}”. Không có gì mới được thêm vào.</translation>
    </message>
    <message>
        <source>This studio is set up already: log in with an account of this station instead.</source>
        <translation>Phòng thu này đã được thiết lập: hãy đăng nhập bằng một tài khoản của đài.</translation>
    </message>
    <message>
        <source>Try playing it in a media player, or record or export it again.</source>
        <translation>Hãy thử mở tệp bằng một trình phát nhạc, hoặc thu âm hay xuất lại tệp.</translation>
    </message>
    <message>
        <source>Update the studio on this PC, then import the file again.</source>
        <translation>Hãy cập nhật phòng thu trên máy này, rồi nhập lại tệp.</translation>
    </message>
    <message>
        <source>{name} arrived damaged on {host} ({detail}). It was not published.</source>
        <translation>{name} tới {host} bị hỏng ({detail}). Tệp chưa được đưa lên phát.</translation>
    </message>
    <message>
        <source>{path} is not a WAV file the studio can tag.</source>
        <translation>{path} không phải là tệp WAV mà phần mềm có thể ghi thông tin thẻ.</translation>
    </message>
    <message>
        <source>{path} is not a valid programme description: {problem}</source>
        <translation>{path} không phải là tệp mô tả chương trình hợp lệ: {problem}</translation>
    </message>
    <message>
        <source>{path} is not an MP3 file the studio can tag.</source>
        <translation>{path} không phải là tệp MP3 mà phần mềm có thể ghi thông tin thẻ.</translation>
    </message>
    <message>
        <source>{path} is too large to be a programme description ({size} bytes, the limit is {limit}).</source>
        <translation>{path} quá lớn để là tệp mô tả chương trình ({size} byte, giới hạn là {limit}).</translation>
    </message>
    <message>
        <source>“{name}” is not a bulletin file of the studio.</source>
        <translation>“{name}” không phải là tệp bản tin của phòng thu.</translation>
    </message>
    <message>
        <source>Microsoft&apos;s online voice refused the request: Microsoft has changed how the service is accessed.</source>
        <extracomment>Reasons that will not go away within one render: stop asking the service for the rest of it.</extracomment>
        <translation>Giọng đọc trực tuyến của Microsoft từ chối yêu cầu: Microsoft đã thay đổi cách truy cập dịch vụ.</translation>
    </message>
    <message>
        <source>The offline voice reads instead where the preset has one. Update Commune Radio Studio to use the online voice again.</source>
        <translation>Giọng ngoại tuyến sẽ đọc thay ở những đoạn có sẵn giọng này. Hãy cập nhật Phòng thu Đài truyền thanh xã để dùng lại giọng trực tuyến.</translation>
    </message>
    <message>
        <source>Microsoft&apos;s online voice received too many requests from this computer.</source>
        <translation>Giọng đọc trực tuyến của Microsoft đã nhận quá nhiều yêu cầu từ máy tính này.</translation>
    </message>
    <message>
        <source>Wait a few minutes, then render again. The offline voice reads instead where the preset has one.</source>
        <translation>Hãy đợi vài phút rồi tạo lại tệp âm thanh. Giọng ngoại tuyến sẽ đọc thay ở những đoạn có sẵn giọng này.</translation>
    </message>
    <message>
        <source>Microsoft&apos;s online voice cannot be reached: there is no internet connection, or it is too slow.</source>
        <translation>Không kết nối được với giọng đọc trực tuyến của Microsoft: máy không có Internet hoặc mạng quá chậm.</translation>
    </message>
    <message>
        <source>Check the internet connection, then render again. The offline voice reads instead where the preset has one.</source>
        <translation>Hãy kiểm tra kết nối Internet rồi tạo lại tệp âm thanh. Giọng ngoại tuyến sẽ đọc thay ở những đoạn có sẵn giọng này.</translation>
    </message>
    <message>
        <source>Microsoft&apos;s online voice kept sending incomplete audio, even after several attempts.</source>
        <translation>Giọng đọc trực tuyến của Microsoft liên tục gửi âm thanh bị thiếu, dù đã thử lại nhiều lần.</translation>
    </message>
    <message>
        <source>Microsoft&apos;s online voice answered in a way the studio does not understand.</source>
        <translation>Giọng đọc trực tuyến của Microsoft trả lời theo cách phòng thu không hiểu được.</translation>
    </message>
    <message>
        <source>Render again later; if it keeps happening, update Commune Radio Studio. The offline voice reads instead where the preset has one.</source>
        <translation>Hãy tạo lại tệp âm thanh sau; nếu vẫn bị, hãy cập nhật Phòng thu Đài truyền thanh xã. Giọng ngoại tuyến sẽ đọc thay ở những đoạn có sẵn giọng này.</translation>
    </message>
    <message>
        <source>“{voice}” is not the name of an online voice.</source>
        <translation>“{voice}” không phải tên của một giọng đọc trực tuyến.</translation>
    </message>
    <message>
        <source>Online voice names look like vi-VN-HoaiMyNeural. Choose one in the language preset.</source>
        <translation>Tên giọng đọc trực tuyến có dạng vi-VN-HoaiMyNeural. Hãy chọn một giọng trong thiết lập ngôn ngữ.</translation>
    </message>
    <message>
        <source>The first day ({first}) is after the last day ({last}).</source>
        <translation>Ngày bắt đầu ({first}) ở sau ngày kết thúc ({last}).</translation>
    </message>
    <message>
        <source>The two passwords are different.</source>
        <translation>Hai mật khẩu không giống nhau.</translation>
    </message>
    <message>
        <source>There is already an account called “{name}”.</source>
        <translation>Đã có tài khoản tên “{name}”.</translation>
    </message>
    <message>
        <source>There is no account called “{name}”.</source>
        <translation>Không có tài khoản nào tên “{name}”.</translation>
    </message>
    <message>
        <source>“{name}” is the last administrator: the station needs one, so this account stays an active administrator.</source>
        <translation>“{name}” là quản trị viên cuối cùng: đài cần có một quản trị viên nên tài khoản này vẫn giữ quyền quản trị và không bị khóa.</translation>
    </message>
    <message>
        <source>Write what should change before sending the bulletin back.</source>
        <translation>Hãy ghi rõ cần sửa gì trước khi trả lại bản tin.</translation>
    </message>
    <message>
        <source>A comment can have at most {limit} characters.</source>
        <translation>Góp ý dài tối đa {limit} ký tự.</translation>
    </message>
    <message>
        <source>“{title}” was changed while you were reviewing it. Read the new version, then decide again.</source>
        <translation>“{title}” đã được thay đổi trong khi bạn đang xem. Hãy đọc bản mới rồi quyết định lại.</translation>
    </message>
    <message>
        <source>A session lasts {low} to {high} minutes, and a station has 1 to 24 sessions a day.</source>
        <translation>Mỗi buổi phát dài từ {low} đến {high} phút, và mỗi ngày đài có từ 1 đến 24 buổi phát.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <source>Check the keyboard language (Vietnamese input) and Caps Lock, then try again.</source>
        <translation>Hãy kiểm tra bộ gõ tiếng Việt và phím Caps Lock, rồi thử lại.</translation>
    </message>
    <message>
        <source>This account is locked for {minutes} more minutes after too many wrong passwords.</source>
        <translation>Tài khoản này bị khóa thêm {minutes} phút vì nhập sai mật khẩu quá nhiều lần.</translation>
    </message>
    <message>
        <source>Wait, or ask the administrator to unlock it.</source>
        <translation>Hãy chờ, hoặc nhờ quản trị viên mở khóa.</translation>
    </message>
    <message>
        <source>A user name has 1 to {limit} letters, digits, dots, dashes or underscores, without spaces.</source>
        <translation>Tên đăng nhập gồm 1 đến {limit} chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, không có khoảng trắng.</translation>
    </message>
    <message>
        <source>A password needs at least {limit} characters.</source>
        <translation>Mật khẩu cần ít nhất {limit} ký tự.</translation>
    </message>
    <message>
        <source>A password can have at most {limit} characters.</source>
        <translation>Mật khẩu chỉ được dài tối đa {limit} ký tự.</translation>
    </message>
    <message>
        <source>A display name can have at most {limit} characters.</source>
        <translation>Họ và tên chỉ được dài tối đa {limit} ký tự.</translation>
    </message>
    <message>
        <source>The programme lasts {length}, longer than the station&apos;s session of {cap} minutes.</source>
        <translation>Chương trình dài {length}, vượt quá thời lượng buổi phát của đài là {cap} phút.</translation>
    </message>
    <message>
        <source>“{title}” lasts {length}, longer than the station&apos;s session of {cap} minutes, and the station does not allow longer sessions.</source>
        <translation>“{title}” dài {length}, vượt quá thời lượng buổi phát của đài là {cap} phút, và đài không cho phép buổi phát dài hơn.</translation>
    </message>
    <message>
        <source>Shorten it or split it into two bulletins.</source>
        <translation>Hãy rút ngắn hoặc tách thành hai bản tin.</translation>
    </message>
    <message>
        <source>“{title}” is scheduled {count} times on {date}, more than the station&apos;s {cap} sessions a day.</source>
        <translation>“{title}” được xếp phát {count} lần vào ngày {date}, nhiều hơn {cap} buổi phát mỗi ngày theo quy định của đài.</translation>
    </message>
    <message>
        <source>Remove some broadcast times from its schedule.</source>
        <translation>Hãy bớt một số giờ phát trong lịch phát của bản tin.</translation>
    </message>
    <message>
        <source>“{title}” played {repeat} times in a row lasts {length}, longer than the station&apos;s session of {cap} minutes.</source>
        <translation>“{title}” phát liên tiếp {repeat} lần sẽ dài {length}, quá thời lượng {cap} phút của một buổi phát.</translation>
    </message>
    <message>
        <source>Play it fewer times at each broadcast time.</source>
        <translation>Hãy giảm số lần phát ở mỗi giờ phát.</translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}.</source>
        <translation>{user} ({role_vi}) không có quyền {action_vi}.</translation>
    </message>
    <message>
        <source>“{title}” is “{state}”: it cannot {action} now.</source>
        <translation>“{title}” đang ở trạng thái “{state_vi}”: lúc này không thể {action_vi}.</translation>
    </message>
    <message>
        <source>{user} wrote or last edited “{title}” and so cannot approve it: another reviewer must.</source>
        <translation>{user} đã soạn hoặc sửa lần cuối “{title}” nên không thể tự phê duyệt: cần một người phê duyệt khác.</translation>
    </message>
    <message>
        <source>A station with a single person may turn on single-person mode in the station rules; every approval made that way is marked in the audit.</source>
        <translation>Đài chỉ có một người có thể bật chế độ một người trong Quy định của đài; mỗi lần phê duyệt theo cách này đều được ghi rõ trong nhật ký.</translation>
    </message>
    <message>
        <source>Only a person can approve a bulletin.</source>
        <translation>Chỉ người có tài khoản mới được phê duyệt bản tin.</translation>
    </message>
    <message>
        <source>“{title}” is not approved: only an approved bulletin can be delivered.</source>
        <translation>“{title}” chưa được phê duyệt: chỉ bản tin đã duyệt mới được gửi đi phát.</translation>
    </message>
    <message>
        <source>This file of “{title}” was made from other content than the approved one and cannot be delivered.</source>
        <translation>Tệp âm thanh này của “{title}” được tạo từ nội dung khác với bản đã duyệt nên không thể gửi đi phát.</translation>
    </message>
    <message>
        <source>Render the bulletin again, then deliver the new file.</source>
        <translation>Hãy tạo lại tệp âm thanh rồi gửi tệp mới.</translation>
    </message>
    <message>
        <source>The controller needs an access key: give --token-file FILE or set STUDIO_CONTROLLER_TOKEN.</source>
        <translation>Máy điều khiển cần một khóa truy cập: hãy dùng --token-file TỆP hoặc đặt biến môi trường STUDIO_CONTROLLER_TOKEN.</translation>
    </message>
    <message>
        <source>The controller&apos;s access key must be at least {length} characters long, without spaces.</source>
        <translation>Khóa truy cập của máy điều khiển phải dài ít nhất {length} ký tự và không có khoảng trắng.</translation>
    </message>
    <message>
        <source>The access key file {path} cannot be read.</source>
        <translation>Không đọc được tệp khóa truy cập {path}.</translation>
    </message>
    <message>
        <source>Give both --tls-cert and --tls-key, or neither.</source>
        <translation>Hãy dùng cả --tls-cert lẫn --tls-key, hoặc không dùng cả hai.</translation>
    </message>
    <message>
        <source>The certificate {cert} or its key {key} cannot be used: {reason}</source>
        <translation>Không dùng được chứng chỉ {cert} hoặc khóa {key} của chứng chỉ đó: {reason}</translation>
    </message>
    <message>
        <source>The controller cannot listen on {host}:{port}: {reason}</source>
        <translation>Máy điều khiển không thể lắng nghe tại {host}:{port}: {reason}</translation>
    </message>
    <message>
        <source>Another program may use this port: choose another one with --port.</source>
        <translation>Có thể một chương trình khác đang dùng cổng này: hãy chọn cổng khác bằng --port.</translation>
    </message>
    <message>
        <source>The controller {host} showed a certificate the studio does not trust ({reason}). Nothing was sent.</source>
        <translation>Máy điều khiển {host} đưa ra một chứng chỉ mà Phòng thu không tin cậy ({reason}). Chưa có gì được gửi đi.</translation>
    </message>
    <message>
        <source>Ask the installer to give the controller&apos;s CA certificate file in the delivery target&apos;s settings.</source>
        <translation>Hãy nhờ người cài đặt nhập tệp chứng chỉ CA của máy điều khiển vào phần cài đặt của nơi nhận này.</translation>
    </message>
    <message>
        <source>The controller {host} does not accept an encrypted (FTPS) connection: {reason}</source>
        <translation>Máy điều khiển {host} không chấp nhận kết nối mã hóa (FTPS): {reason}</translation>
    </message>
    <message>
        <source>Ask the controller&apos;s operator to turn on FTPS, or check the address and port of the delivery target.</source>
        <translation>Hãy nhờ người quản lý máy điều khiển bật FTPS, hoặc kiểm tra lại địa chỉ và cổng của nơi nhận.</translation>
    </message>
    <message>
        <source>The controller {host} refused the login: {reason}</source>
        <translation>Máy điều khiển {host} từ chối đăng nhập: {reason}</translation>
    </message>
    <message>
        <source>Check the user name and the FTPS setting of the delivery target with the controller&apos;s operator.</source>
        <translation>Hãy cùng người quản lý máy điều khiển kiểm tra tên người dùng và thiết lập FTPS của nơi nhận.</translation>
    </message>
    <message>
        <source>The folder {folder} on the controller {host} cannot be used: {reason}</source>
        <translation>Không dùng được thư mục {folder} trên máy điều khiển {host}: {reason}</translation>
    </message>
    <message>
        <source>Check the folder in the delivery target&apos;s settings, or ask the controller&apos;s operator to create it.</source>
        <translation>Hãy kiểm tra thư mục trong phần cài đặt của nơi nhận, hoặc nhờ người quản lý máy điều khiển tạo thư mục này.</translation>
    </message>
    <message>
        <source>The controller {host} does not let the studio write {name} in the folder {folder}: {reason}</source>
        <translation>Máy điều khiển {host} không cho Phòng thu ghi {name} vào thư mục {folder}: {reason}</translation>
    </message>
    <message>
        <source>Ask the controller&apos;s operator to let this account create, rename and delete files in that folder.</source>
        <translation>Hãy nhờ người quản lý máy điều khiển cho tài khoản này quyền tạo, đổi tên và xóa tệp trong thư mục đó.</translation>
    </message>
    <message>
        <source>The controller {host} gave an answer the studio does not understand ({detail}).</source>
        <translation>Máy điều khiển {host} trả lời theo cách mà Phòng thu không hiểu được ({detail}).</translation>
    </message>
    <message>
        <source>Check that the address and port are those of the controller&apos;s FTP server. The studio will try again by itself.</source>
        <translation>Hãy kiểm tra xem địa chỉ và cổng có đúng là của máy chủ FTP trên máy điều khiển không. Phòng thu sẽ tự thử lại.</translation>
    </message>
    <message>
        <source>The controller {host} (port {port}) is not trusted yet. Its {key_type} key has the fingerprint {fingerprint}.</source>
        <translation>Máy điều khiển {host} (cổng {port}) chưa được tin cậy. Khóa {key_type} của máy này có dấu vân tay {fingerprint}.</translation>
    </message>
    <message>
        <source>Ask the controller&apos;s operator to read out its fingerprint and trust it only if it is exactly the same. Nothing was sent.</source>
        <translation>Hãy nhờ người quản lý máy điều khiển đọc dấu vân tay của máy, và chỉ tin cậy khi hai dấu vân tay giống hệt nhau. Chưa có gì được gửi đi.</translation>
    </message>
    <message>
        <source>The controller {host} (port {port}) answered with a different key ({fingerprint}) from the one trusted. This may be an attack, or the controller was reinstalled. Nothing was sent.</source>
        <translation>Máy điều khiển {host} (cổng {port}) trả lời bằng một khóa khác ({fingerprint}) với khóa đã được tin cậy. Có thể đây là một cuộc tấn công, hoặc máy điều khiển đã được cài đặt lại. Chưa có gì được gửi đi.</translation>
    </message>
    <message>
        <source>Trust the new key only after the controller&apos;s operator confirms that it was reinstalled and reads out the same fingerprint.</source>
        <translation>Chỉ tin cậy khóa mới sau khi người quản lý máy điều khiển xác nhận máy đã được cài đặt lại và đọc cho bạn đúng dấu vân tay này.</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist on the controller {host}.</source>
        <translation>Thư mục {folder} không có trên máy điều khiển {host}.</translation>
    </message>
    <message>
        <source>Open Delivery targets and correct the folder, or ask the controller&apos;s operator to create it.</source>
        <translation>Hãy mở mục Nơi nhận và sửa lại thư mục, hoặc nhờ người quản lý máy điều khiển tạo thư mục này.</translation>
    </message>
    <message>
        <source>The controller {host} does not let the user {user} write in the folder {folder}.</source>
        <translation>Máy điều khiển {host} không cho người dùng {user} ghi vào thư mục {folder}.</translation>
    </message>
    <message>
        <source>Ask the controller&apos;s operator to give this user permission to write there.</source>
        <translation>Hãy nhờ người quản lý máy điều khiển cấp quyền ghi vào thư mục đó cho người dùng này.</translation>
    </message>
    <message>
        <source>The controller {host} could not store {name} and gave no reason; its disk may be full.</source>
        <translation>Máy điều khiển {host} không lưu được {name} và không cho biết lý do; có thể ổ đĩa của máy đã đầy.</translation>
    </message>
    <message>
        <source>There is no outbox job number {job}.</source>
        <translation>Không có việc gửi số {job} trong hộp thư đi.</translation>
    </message>
    <message>
        <source>Only an SFTP target has a host key to trust.</source>
        <translation>Chỉ nơi nhận SFTP mới có khóa máy chủ để tin cậy.</translation>
    </message>
    <message>
        <source>Weekly slots need a last day (“valid until”).</source>
        <translation>Giờ phát hằng tuần cần có ngày cuối (“hiệu lực đến”).</translation>
    </message>
    <message>
        <source>The last day is before the first day.</source>
        <translation>Ngày cuối đang ở trước ngày đầu.</translation>
    </message>
    <message>
        <source>Weekly slots may run at most {days} days; approve the bulletin again after that.</source>
        <translation>Giờ phát hằng tuần chỉ được kéo dài tối đa {days} ngày; sau đó hãy duyệt lại bản tin.</translation>
    </message>
    <message>
        <source>The slot at {time} has no weekday ticked.</source>
        <translation>Giờ phát {time} chưa chọn ngày nào trong tuần.</translation>
    </message>
    <message>
        <source>The slot on {date} is outside the days the bulletin is valid.</source>
        <translation>Giờ phát ngày {date} nằm ngoài thời gian hiệu lực của bản tin.</translation>
    </message>
    <message>
        <source>At most {limit} slots.</source>
        <translation>Tối đa {limit} giờ phát.</translation>
    </message>
    <message>
        <source>The phrase was deleted meanwhile.</source>
        <translation>Câu mẫu này vừa bị xóa.</translation>
    </message>
    <message>
        <source>Someone else changed the phrase “{name}” meanwhile; reload it.</source>
        <translation>Người khác vừa sửa câu mẫu “{name}”; hãy tải lại.</translation>
    </message>
    <message>
        <source>The phrase “{name}” has no recording to approve yet.</source>
        <translation>Câu mẫu “{name}” chưa có bản thu để duyệt.</translation>
    </message>
    <message>
        <source>The phrase “{name}” is not approved: a reviewer must listen to its recording first.</source>
        <translation>Câu mẫu “{name}” chưa được duyệt: người duyệt cần nghe bản thu trước.</translation>
    </message>
    <message>
        <source>A phrase needs a name.</source>
        <translation>Câu mẫu cần có tên.</translation>
    </message>
    <message>
        <source>That recording does not belong to the phrase “{name}”.</source>
        <translation>Bản thu này không thuộc câu mẫu “{name}”.</translation>
    </message>
    <message>
        <source>The bulletin “{title}” has {count} segments; a bulletin holds at most {limit}.</source>
        <translation>Bản tin “{title}” có {count} đoạn; mỗi bản tin chỉ chứa được tối đa {limit} đoạn.</translation>
    </message>
    <message>
        <source>Split it into several bulletins.</source>
        <translation>Hãy tách thành nhiều bản tin.</translation>
    </message>
</context>
<context>
    <name>OutboxHistoryDialog</name>
    <message>
        <source>Delivery history — {title}</source>
        <translation>Lịch sử gửi — {title}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự việc</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Failed; needs attention</source>
        <translation>Lỗi, cần xử lý</translation>
    </message>
    <message>
        <source>Failed; will try again</source>
        <translation>Lỗi, sẽ tự thử lại</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Put in the outbox</source>
        <translation>Đưa vào hộp thư đi</translation>
    </message>
    <message>
        <source>Replaced by a newer version</source>
        <translation>Được thay bằng bản mới hơn</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Gửi lại ngay</translation>
    </message>
    <message>
        <source>Sending resumed</source>
        <translation>Tiếp tục gửi</translation>
    </message>
    <message>
        <source>Sending started</source>
        <translation>Bắt đầu gửi</translation>
    </message>
    <message>
        <source>Withdrawn from the controller</source>
        <translation>Đã rút khỏi máy điều khiển</translation>
    </message>
</context>
<context>
    <name>OutboxWindow</name>
    <message>
        <source>Outbox</source>
        <translation>Hộp thư đi</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Gửi lại ngay</translation>
    </message>
    <message>
        <source>Send the selected programme again at once</source>
        <translation>Gửi lại ngay chương trình đang chọn</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Do not send the selected programme</source>
        <translation>Không gửi chương trình đang chọn nữa</translation>
    </message>
    <message>
        <source>Withdraw from controller</source>
        <translation>Rút khỏi máy điều khiển</translation>
    </message>
    <message>
        <source>Remove the delivered programme from this target&apos;s controller</source>
        <translation>Gỡ chương trình đã gửi khỏi máy điều khiển của nơi nhận này</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>Every delivery step of the selected programme</source>
        <translation>Mọi bước gửi của chương trình đang chọn</translation>
    </message>
    <message>
        <source>Show finished</source>
        <translation>Hiện cả việc đã xong</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Số lần thử</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Đã hủy</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Lỗi gần nhất</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Cần xử lý</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Thử lại lúc</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>Chương trình</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Đang gửi</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation>Chờ thử lại</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Đang chờ gửi</translation>
    </message>
    <message>
        <source>Waiting to withdraw</source>
        <translation>Đang chờ rút</translation>
    </message>
    <message>
        <source>Withdrawing from the controller</source>
        <translation>Đang rút khỏi máy điều khiển</translation>
    </message>
    <message>
        <source>Withdrawn from the controller</source>
        <translation>Đã rút khỏi máy điều khiển</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>{speed} KiB/s</source>
        <translation>{speed} KiB/giây</translation>
    </message>
</context>
<context>
    <name>OutputSettingsDialog</name>
    <message>
        <source>Output settings</source>
        <extracomment>The settings this dialog shows, in the order they are written.</extracomment>
        <translation>Cài đặt đầu ra</translation>
    </message>
    <message>
        <source>Audio file</source>
        <translation>Tệp âm thanh</translation>
    </message>
    <message>
        <source>MP3</source>
        <translation>MP3</translation>
    </message>
    <message>
        <source>WAV 16-bit</source>
        <translation>WAV 16 bit</translation>
    </message>
    <message>
        <source>Mono</source>
        <translation>Đơn kênh (mono)</translation>
    </message>
    <message>
        <source>Stereo</source>
        <translation>Hai kênh (stereo)</translation>
    </message>
    <message>
        <source>Loudness</source>
        <translation>Độ lớn âm thanh</translation>
    </message>
    <message>
        <source>{default} is the station default; higher is louder.</source>
        <translation>{default} là mức mặc định của đài; số càng lớn (càng gần 0) thì càng to.</translation>
    </message>
    <message>
        <source>{default} is the station default; change it only if your technician asks.</source>
        <translation>{default} là mức mặc định của đài; chỉ thay đổi khi cán bộ kỹ thuật yêu cầu.</translation>
    </message>
    <message>
        <source>Horn loudspeakers</source>
        <translation>Loa nén ngoài trời</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>Giữ nguyên</translation>
    </message>
    <message>
        <source>Clearer speech outdoors: less rumble, a forward voice, soft words made louder.</source>
        <translation>Tiếng nói rõ hơn ngoài trời: bớt tiếng ù, giọng nổi rõ, chữ đọc nhỏ được nâng to lên.</translation>
    </message>
    <message>
        <source>The voice unchanged, for indoor speakers, radio or the internet.</source>
        <translation>Giữ nguyên giọng đọc, dùng cho loa trong nhà, đài phát thanh hoặc mạng internet.</translation>
    </message>
    <message>
        <source>Pauses</source>
        <translation>Khoảng nghỉ</translation>
    </message>
    <message>
        <source>Audio files made before a change are marked out of date; make them again to hear the change.</source>
        <translation>Các tệp âm thanh đã tạo trước khi thay đổi sẽ được đánh dấu là cũ; hãy tạo lại để nghe thay đổi.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Station defaults</source>
        <translation>Mặc định của đài</translation>
    </message>
    <message>
        <source>Put back the values the studio comes with (saved on OK)</source>
        <translation>Đặt lại các giá trị có sẵn của phần mềm (lưu khi bấm Đồng ý)</translation>
    </message>
    <message>
        <source>MP3 is compressed: about {size} MB per minute.</source>
        <translation>MP3 là tệp nén: khoảng {size} MB mỗi phút.</translation>
    </message>
    <message>
        <source>WAV is uncompressed: about {size} MB per minute in mono.</source>
        <translation>WAV không nén: khoảng {size} MB mỗi phút khi đơn kênh.</translation>
    </message>
    <message>
        <source>WAV is uncompressed: about {size} MB per minute in stereo.</source>
        <translation>WAV không nén: khoảng {size} MB mỗi phút khi hai kênh.</translation>
    </message>
    <message>
        <source>A WAV file has no bit rate to choose.</source>
        <translation>Tệp WAV không cần chọn tốc độ bit.</translation>
    </message>
</context>
<context>
    <name>PhraseBankDialog</name>
    <message>
        <source>Phrase bank</source>
        <translation>Kho câu thu sẵn</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Tất cả ngôn ngữ</translation>
    </message>
    <message>
        <source>Phrases</source>
        <translation>Các câu</translation>
    </message>
    <message>
        <source>New phrase</source>
        <translation>Câu mới</translation>
    </message>
    <message>
        <source>e.g. Station ident in Thái</source>
        <translation>ví dụ: Giới thiệu đài bằng tiếng Thái</translation>
    </message>
    <message>
        <source>The phrase as the announcer reads it, in its language</source>
        <translation>Câu đúng như phát thanh viên đọc, bằng ngôn ngữ của nó</translation>
    </message>
    <message>
        <source>What it says, in Vietnamese (for the reviewer)</source>
        <translation>Nghĩa của câu bằng tiếng Việt (cho người duyệt)</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>Nội dung:</translation>
    </message>
    <message>
        <source>In Vietnamese:</source>
        <translation>Nghĩa tiếng Việt:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Save the name, kind, language and texts</source>
        <translation>Lưu tên, loại, ngôn ngữ và nội dung</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>Thu…</translation>
    </message>
    <message>
        <source>Record the phrase in the booth, or import a recording</source>
        <translation>Thu câu trong phòng thu, hoặc nhập bản ghi âm</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Nghe</translation>
    </message>
    <message>
        <source>Hear the phrase&apos;s recording</source>
        <translation>Nghe bản thu của câu</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <source>Approve this recording for use in bulletins (reviewers; listen to it first)</source>
        <translation>Duyệt bản thu này để dùng trong bản tin (người duyệt; hãy nghe trước)</translation>
    </message>
    <message>
        <source>Insert into bulletin</source>
        <translation>Chèn vào bản tin</translation>
    </message>
    <message>
        <source>Add the phrase to the open bulletin, after the segment being edited</source>
        <translation>Thêm câu vào bản tin đang mở, sau đoạn đang soạn</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Remove the phrase from the bank; bulletins that use it keep their copy</source>
        <translation>Xóa câu khỏi kho; các bản tin đã dùng vẫn giữ bản của mình</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Choose a phrase, or make a new one.</source>
        <translation>Chọn một câu, hoặc tạo câu mới.</translation>
    </message>
    <message>
        <source>New phrase: save it, then record it.</source>
        <translation>Câu mới: hãy lưu rồi thu.</translation>
    </message>
    <message>
        <source>Not recorded yet: press Record… to read it into the microphone or import a recording.</source>
        <translation>Chưa thu: bấm Thu… để đọc vào micrô hoặc nhập bản ghi âm.</translation>
    </message>
    <message>
        <source>Approved by {who} ({when}): it can be inserted into bulletins.</source>
        <translation>Đã được {who} duyệt ({when}): có thể chèn vào bản tin.</translation>
    </message>
    <message>
        <source>Recorded again: a reviewer must listen to the new recording and approve it.</source>
        <translation>Đã thu lại: người duyệt phải nghe bản thu mới và duyệt.</translation>
    </message>
    <message>
        <source>Recorded: a reviewer must listen to it and approve it before it is used.</source>
        <translation>Đã thu: người duyệt phải nghe và duyệt trước khi dùng.</translation>
    </message>
    <message>
        <source>Phrase “{name}”</source>
        <translation>Câu “{name}”</translation>
    </message>
    <message>
        <source>Delete phrase</source>
        <translation>Xóa câu</translation>
    </message>
    <message>
        <source>Delete the phrase “{name}” from the bank? Bulletins that use it keep their copy of its recording.</source>
        <translation>Xóa câu “{name}” khỏi kho? Các bản tin đã dùng câu này vẫn giữ bản thu của mình.</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Stop and go back to the start</source>
        <translation>Dừng và quay về đầu</translation>
    </message>
    <message>
        <source>Position in the recording</source>
        <translation>Vị trí đang nghe trong tệp âm thanh</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>The recording cannot be played: {reason}</source>
        <translation>Không phát được tệp âm thanh: {reason}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Pause listening</source>
        <translation>Tạm dừng nghe</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <source>Listen to the finished recording</source>
        <translation>Nghe tệp âm thanh đã tạo</translation>
    </message>
</context>
<context>
    <name>PresetPicker</name>
    <message>
        <source>Recorded by an announcer (no voice):</source>
        <translation>Thu âm bởi phát thanh viên (không có giọng máy):</translation>
    </message>
    <message>
        <source>No voice reads this language: an announcer records the segment.</source>
        <translation>Chưa có giọng máy đọc ngôn ngữ này: phát thanh viên thu âm đoạn này.</translation>
    </message>
    <message>
        <source>{preset} (not installed)</source>
        <translation>{preset} (chưa cài đặt)</translation>
    </message>
    <message>
        <source>Language and voice that read this segment</source>
        <translation>Ngôn ngữ và giọng đọc của đoạn này</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>Preparing</source>
        <translation>Đang chuẩn bị</translation>
    </message>
    <message>
        <source>Reading segment {number}</source>
        <translation>Đang đọc đoạn {number}</translation>
    </message>
    <message>
        <source>Mixing</source>
        <translation>Đang trộn âm thanh</translation>
    </message>
    <message>
        <source>Mastering and encoding</source>
        <translation>Đang cân chỉnh âm lượng và ghi tệp âm thanh</translation>
    </message>
    <message>
        <source>Writing tags</source>
        <translation>Đang ghi thông tin bản tin</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <source>Writing the bulletin file</source>
        <translation>Đang ghi tệp bản tin</translation>
    </message>
    <message>
        <source>Checking the bulletin file</source>
        <translation>Đang kiểm tra tệp bản tin</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Cắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>Sao ché&amp;p</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ đi</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Hủy bỏ</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Cắt</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>Sao ché&amp;p</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Dán</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Chọn tất cả</translation>
    </message>
</context>
<context>
    <name>RenderBar</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Stop making the audio file</source>
        <translation>Dừng tạo tệp âm thanh</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Đang bắt đầu…</translation>
    </message>
    <message>
        <source>No audio file yet. Press “Create audio file” (Ctrl+R) to make one.</source>
        <translation>Chưa có tệp âm thanh. Bấm “Tạo tệp âm thanh” (Ctrl+R) để tạo.</translation>
    </message>
    <message>
        <source>Audio file ready: {duration} long, loudness {lufs} LUFS, peak {peak} dBTP.</source>
        <translation>Tệp âm thanh đã sẵn sàng: dài {duration}, độ lớn {lufs} LUFS, đỉnh {peak} dBTP.</translation>
    </message>
    <message>
        <source>The text has changed since; create the audio file again.</source>
        <translation>Nội dung đã thay đổi sau đó; hãy tạo lại tệp âm thanh.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <source>Submit for approval</source>
        <extracomment>Ask the window to save the editor&apos;s text, then run the action (submit needs the saved version).</extracomment>
        <translation>Gửi duyệt</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <source>Request changes…</source>
        <translation>Yêu cầu sửa…</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Rút lại</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Mở lại</translation>
    </message>
    <message>
        <source>Compare versions…</source>
        <translation>So sánh các bản…</translation>
    </message>
    <message>
        <source>Every save keeps a version: see what changed between any two</source>
        <translation>Mỗi lần lưu đều giữ một bản: xem hai bản bất kỳ khác nhau thế nào</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>Góp ý</translation>
    </message>
    <message>
        <source>Comment on</source>
        <translation>Góp ý cho</translation>
    </message>
    <message>
        <source>Write a comment…</source>
        <translation>Viết góp ý…</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Góp ý</translation>
    </message>
    <message>
        <source>Whole bulletin</source>
        <translation>Cả bản tin</translation>
    </message>
    <message>
        <source>Segment {number}</source>
        <translation>Đoạn {number}</translation>
    </message>
    <message>
        <source>Approved by {user}, but a voice preset, jingle or output setting changed since: approve it again before it can be delivered.</source>
        <translation>Đã được {user} phê duyệt, nhưng sau đó giọng đọc, nhạc hiệu hoặc cài đặt đầu ra đã thay đổi: cần phê duyệt lại trước khi gửi đi phát.</translation>
    </message>
    <message>
        <source>Approved by {user} on {time}.</source>
        <translation>{user} đã phê duyệt lúc {time}.</translation>
    </message>
    <message>
        <source>Waiting for a reviewer.</source>
        <translation>Đang chờ người phê duyệt.</translation>
    </message>
    <message>
        <source>Request changes</source>
        <translation>Yêu cầu sửa</translation>
    </message>
    <message>
        <source>What should the officer change?</source>
        <translation>Cán bộ biên tập cần sửa gì?</translation>
    </message>
</context>
<context>
    <name>RevisionDiffDialog</name>
    <message>
        <source>Compare revisions</source>
        <extracomment>Unchanged stretches longer than this (characters) are shown as their ends next to the changes; a 200 kB segment with one word changed stays readable, and quick to show. Removed text: dark red on pale red, struck through. Added text: dark green on pale green, underlined. Both pairs keep a contrast above 7:1, and the marks tell them apart without colour.</extracomment>
        <translation>So sánh các phiên bản</translation>
    </message>
    <message>
        <source>Removed words are struck through in red on the left; added words are underlined in green on the right.</source>
        <translation>Chữ bị bỏ được gạch ngang màu đỏ ở bên trái; chữ thêm vào được gạch dưới màu xanh lá ở bên phải.</translation>
    </message>
    <message>
        <source>The revision shown on the left</source>
        <translation>Phiên bản hiện ở bên trái</translation>
    </message>
    <message>
        <source>The revision shown on the right</source>
        <translation>Phiên bản hiện ở bên phải</translation>
    </message>
    <message>
        <source>Before:</source>
        <translation>Trước:</translation>
    </message>
    <message>
        <source>After:</source>
        <translation>Sau:</translation>
    </message>
    <message>
        <source>Show unchanged segments</source>
        <translation>Hiện cả các đoạn không thay đổi</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Thiết lập</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Settings that changed</source>
        <translation>Các thiết lập đã thay đổi</translation>
    </message>
    <message>
        <source>The two revisions side by side</source>
        <translation>Hai phiên bản đặt cạnh nhau</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Reading the revisions…</source>
        <translation>Đang đọc các phiên bản…</translation>
    </message>
    <message>
        <source>This bulletin has no saved revision yet.</source>
        <translation>Bản tin này chưa có phiên bản nào được lưu.</translation>
    </message>
    <message>
        <source>Revision {number} · {date} · {author}</source>
        <translation>Phiên bản {number} · {date} · {author}</translation>
    </message>
    <message>
        <source>Revision {number} · {date}</source>
        <translation>Phiên bản {number} · {date}</translation>
    </message>
    <message>
        <source>Comparing revision {old} with revision {new}…</source>
        <translation>Đang so sánh phiên bản {old} với phiên bản {new}…</translation>
    </message>
    <message>
        <source>The same revision is chosen on both sides.</source>
        <translation>Hai bên đang chọn cùng một phiên bản.</translation>
    </message>
    <message>
        <source>The two revisions are the same.</source>
        <translation>Hai phiên bản giống hệt nhau.</translation>
    </message>
    <message>
        <source>{count} added</source>
        <translation>thêm {count}</translation>
    </message>
    <message>
        <source>{count} removed</source>
        <translation>bỏ {count}</translation>
    </message>
    <message>
        <source>{count} changed</source>
        <translation>sửa {count}</translation>
    </message>
    <message>
        <source>{count} moved</source>
        <translation>đổi chỗ {count}</translation>
    </message>
    <message>
        <source>Segments: {changes}.</source>
        <translation>Các đoạn: {changes}.</translation>
    </message>
    <message>
        <source>Bulletin settings changed: {count}.</source>
        <translation>Thiết lập của bản tin đã đổi: {count}.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <source>Language and voice</source>
        <translation>Ngôn ngữ và giọng đọc</translation>
    </message>
    <message>
        <source>Kind of item</source>
        <translation>Loại mục</translation>
    </message>
    <message>
        <source>Read by</source>
        <translation>Đọc bằng</translation>
    </message>
    <message>
        <source>Pause before</source>
        <translation>Nghỉ trước</translation>
    </message>
    <message>
        <source>Crossfade</source>
        <translation>Chuyển mượt</translation>
    </message>
    <message>
        <source>Music bed</source>
        <translation>Nhạc nền</translation>
    </message>
    <message>
        <source>Station&apos;s default</source>
        <translation>Mặc định của đài</translation>
    </message>
    <message>
        <source>Station&apos;s rule</source>
        <translation>Theo quy định của đài</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Bật</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} giây</translation>
    </message>
    <message>
        <source>Synthesised voice</source>
        <translation>Giọng đọc tổng hợp</translation>
    </message>
    <message>
        <source>Recorded by an announcer</source>
        <translation>Thu âm bởi phát thanh viên</translation>
    </message>
    <message>
        <source>Phrase bank</source>
        <translation>Kho câu thu sẵn</translation>
    </message>
    <message>
        <source>Segment {number}: {setting}</source>
        <translation>Đoạn {number}: {setting}</translation>
    </message>
    <message>
        <source>Segment {number}: added</source>
        <translation>Đoạn {number}: thêm mới</translation>
    </message>
    <message>
        <source>Segment {number}: removed</source>
        <translation>Đoạn {number}: đã bỏ</translation>
    </message>
    <message>
        <source>Segment {number}: moved from place {old} and changed</source>
        <translation>Đoạn {number}: chuyển từ vị trí {old} và có sửa</translation>
    </message>
    <message>
        <source>Segment {number}: moved from place {old}</source>
        <translation>Đoạn {number}: chuyển từ vị trí {old}</translation>
    </message>
    <message>
        <source>Segment {number}: changed</source>
        <translation>Đoạn {number}: có sửa</translation>
    </message>
    <message>
        <source>Segment {number}: unchanged</source>
        <translation>Đoạn {number}: không thay đổi</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Đã bỏ</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Thêm vào</translation>
    </message>
    <message>
        <source>Revision {number}</source>
        <translation>Phiên bản {number}</translation>
    </message>
    <message>
        <source>Neither revision has any segment.</source>
        <translation>Cả hai phiên bản đều không có đoạn nào.</translation>
    </message>
    <message>
        <source>Segments {first}–{last}: unchanged</source>
        <translation>Đoạn {first}–{last}: không thay đổi</translation>
    </message>
    <message>
        <source>Not in this revision</source>
        <translation>Không có trong phiên bản này</translation>
    </message>
    <message>
        <source>{setting}: {value}</source>
        <translation>{setting}: {value}</translation>
    </message>
    <message>
        <source>(no text)</source>
        <translation>(không có chữ)</translation>
    </message>
    <message>
        <source>[… {count} unchanged words …]</source>
        <translation>[… {count} chữ không thay đổi …]</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Writes, records and renders bulletins, and sends them for approval.</source>
        <extracomment>What each role does, in the words an officer uses (shown under the role choice).</extracomment>
        <translation>Soạn, thu âm và tạo tệp âm thanh cho bản tin, rồi gửi đi phê duyệt.</translation>
    </message>
    <message>
        <source>Reads bulletins, then approves them or sends them back with comments.</source>
        <translation>Đọc bản tin, rồi phê duyệt hoặc gửi trả lại kèm ý kiến.</translation>
    </message>
    <message>
        <source>Manages the accounts and the station&apos;s rules; may also write and approve.</source>
        <translation>Quản lý tài khoản và quy định của đài; cũng có thể soạn và phê duyệt bản tin.</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ biên tập</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>Người phê duyệt</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
</context>
<context>
    <name>Schedule</name>
    <message>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>Broadcast schedule</source>
        <translation>Lịch phát</translation>
    </message>
    <message>
        <source>When and where the loudspeakers play this bulletin. The approval covers the schedule: after a change the bulletin must be approved again.</source>
        <translation>Bản tin được phát vào lúc nào và ở những cụm loa nào. Lịch phát cũng nằm trong nội dung được phê duyệt: sau khi sửa lịch phát, bản tin phải được duyệt lại.</translation>
    </message>
    <message>
        <source>Broadcast times</source>
        <translation>Giờ phát</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>Hiệu lực từ</translation>
    </message>
    <message>
        <source>valid until</source>
        <translation>hiệu lực đến</translation>
    </message>
    <message>
        <source>Times played in a row at each time:</source>
        <translation>Số lần phát liên tiếp ở mỗi giờ phát:</translation>
    </message>
    <message>
        <source>Loudspeaker zones</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>None ticked: every loudspeaker of the commune plays it.</source>
        <translation>Không chọn cụm nào: phát trên tất cả loa trong xã.</translation>
    </message>
    <message>
        <source>The station has no loudspeaker zones set up: every loudspeaker plays it.</source>
        <translation>Đài chưa khai báo cụm loa nào: bản tin được phát trên tất cả loa.</translation>
    </message>
    <message>
        <source>Next broadcasts</source>
        <translation>Các lần phát sắp tới</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… và {count} lần phát nữa</translation>
    </message>
    <message>
        <source>No broadcast time ahead: the controller&apos;s operator decides when it plays.</source>
        <translation>Không còn giờ phát nào sắp tới: người vận hành máy điều khiển sẽ quyết định lúc phát.</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <source>Use the station&apos;s usual times</source>
        <translation>Dùng giờ phát thường lệ của đài</translation>
    </message>
    <message>
        <source>Play it at the station&apos;s usual broadcast times, from today</source>
        <translation>Phát vào các giờ phát thường lệ của đài, kể từ hôm nay</translation>
    </message>
    <message>
        <source>Edit schedule…</source>
        <translation>Sửa lịch phát…</translation>
    </message>
    <message>
        <source>Broadcast times, the days it is valid and the loudspeaker zones</source>
        <translation>Giờ phát, thời gian hiệu lực và các cụm loa</translation>
    </message>
    <message>
        <source>Show schedule…</source>
        <translation>Xem lịch phát…</translation>
    </message>
    <message>
        <source>No fixed time (the controller&apos;s operator decides)</source>
        <translation>Không cố định giờ phát (người vận hành máy điều khiển quyết định)</translation>
    </message>
    <message>
        <source>all loudspeaker zones</source>
        <translation>tất cả cụm loa</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>hằng ngày</translation>
    </message>
    <message>
        <source>from {date}</source>
        <translation>từ {date}</translation>
    </message>
    <message>
        <source>no fixed time</source>
        <translation>không cố định giờ phát</translation>
    </message>
    <message>
        <source>until {date}</source>
        <translation>đến {date}</translation>
    </message>
    <message>
        <source>{count} times each</source>
        <translation>mỗi giờ phát {count} lần</translation>
    </message>
    <message>
        <source>{names} and {count} more</source>
        <translation>{names} và {count} cụm loa khác</translation>
    </message>
    <message>
        <source>{times} and {last}</source>
        <translation>{times} và {last}</translation>
    </message>
    <message>
        <source>{times}, {days}</source>
        <translation>{times}, {days}</translation>
    </message>
</context>
<context>
    <name>SegmentCard</name>
    <message>
        <source>What this segment is in the running order</source>
        <translation>Vai trò của đoạn này trong bản tin</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Chuyển lên</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Chuyển xuống</translation>
    </message>
    <message>
        <source>Remove this segment</source>
        <translation>Xóa đoạn này</translation>
    </message>
    <message>
        <source>Add this item in another language after it (a translation read by an announcer)</source>
        <translation>Thêm tin này bằng ngôn ngữ khác ngay sau nó (bản dịch do phát thanh viên đọc)</translation>
    </message>
    <message>
        <source>Make this segment the same item as another one, in another language: it is placed by the station&apos;s bilingual order</source>
        <translation>Đánh dấu đoạn này là cùng tin với một đoạn khác, bằng ngôn ngữ khác: vị trí theo thứ tự song ngữ của đài</translation>
    </message>
    <message>
        <source>Its own item</source>
        <translation>Tin riêng</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>Nghỉ và nhạc nền</translation>
    </message>
    <message>
        <source>Pause, crossfade and music bed of this segment</source>
        <translation>Khoảng nghỉ, chuyển mượt và nhạc nền của đoạn này</translation>
    </message>
    <message>
        <source>Translation of:</source>
        <translation>Bản dịch của:</translation>
    </message>
    <message>
        <source>Type what the announcer reads…</source>
        <translation>Nhập nội dung cần đọc…</translation>
    </message>
    <message>
        <source>What the voice will read</source>
        <translation>Nội dung giọng máy sẽ đọc</translation>
    </message>
    <message>
        <source>Estimated reading time of this segment</source>
        <translation>Thời lượng đọc ước tính của đoạn này</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>Thu…</translation>
    </message>
    <message>
        <source>Read this segment into the microphone, or import a recording</source>
        <translation>Đọc đoạn này vào micrô, hoặc nhập bản ghi âm</translation>
    </message>
    <message>
        <source>Segment {number}</source>
        <translation>Đoạn {number}</translation>
    </message>
    <message>
        <source>Plays a recording</source>
        <translation>Phát bản thu</translation>
    </message>
    <message>
        <source>The programme plays the take chosen in the recording booth</source>
        <translation>Chương trình phát bản thu đã chọn trong phòng thu</translation>
    </message>
    <message>
        <source>translation of segment {number}</source>
        <translation>bản dịch của đoạn {number}</translation>
    </message>
    <message>
        <source>An announcer records this segment; no voice reads it.</source>
        <translation>Đoạn này do phát thanh viên thu âm, không có giọng máy đọc.</translation>
    </message>
    <message>
        <source>The voice will read:</source>
        <translation>Giọng máy sẽ đọc:</translation>
    </message>
    <message>
        <source>(marked places in the text: {count}; point at one to see why)</source>
        <translation>(có {count} chỗ được tô màu trong bài; trỏ chuột vào để xem lý do)</translation>
    </message>
    <message>
        <source>The font “{font}” is not installed on this computer; the text may show as boxes.</source>
        <translation>Phông chữ “{font}” chưa được cài trên máy này; chữ có thể hiện thành ô vuông.</translation>
    </message>
    <message>
        <source>The font “{font}” has no letters for: {characters}. Choose the right language, or check the text.</source>
        <translation>Phông chữ “{font}” không có các ký tự: {characters}. Hãy chọn đúng ngôn ngữ, hoặc kiểm tra lại văn bản.</translation>
    </message>
    <message>
        <source>Click to hear the segment from there (arrow keys: 5 seconds, Space: pause)</source>
        <translation>Bấm để nghe đoạn này từ chỗ đó (phím mũi tên: tua 5 giây, phím cách: tạm dừng)</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>Đang chuẩn bị…</translation>
    </message>
    <message>
        <source>The voice is reading this segment; press again to cancel</source>
        <translation>Giọng máy đang đọc đoạn này; bấm lần nữa để hủy</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Stop listening</source>
        <translation>Dừng nghe</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Nghe thử</translation>
    </message>
    <message>
        <source>Hear this segment as the voice will read it</source>
        <translation>Nghe thử đoạn này như giọng máy sẽ đọc</translation>
    </message>
</context>
<context>
    <name>SegmentIssues</name>
    <message>
        <source>A web address is hard to read aloud. Write it the way the announcer should say it.</source>
        <translation>Địa chỉ trang web khó đọc thành tiếng. Hãy viết lại theo cách cần đọc.</translation>
    </message>
    <message>
        <source>An e-mail address is hard to read aloud. Write it the way the announcer should say it.</source>
        <translation>Địa chỉ thư điện tử khó đọc thành tiếng. Hãy viết lại theo cách cần đọc.</translation>
    </message>
    <message>
        <source>Letters the voice cannot read (not Vietnamese). Write the word the way it is pronounced in Vietnamese.</source>
        <translation>Giọng đọc không đọc được các chữ cái này (không phải chữ tiếng Việt). Hãy viết lại theo cách phát âm tiếng Việt.</translation>
    </message>
    <message>
        <source>The studio does not understand this pause, so it is left out and not read. Write it like this: [nghỉ 2 giây] or [nghỉ 500ms].</source>
        <translation>Phòng thu không hiểu ký hiệu nghỉ này nên sẽ bỏ qua, không đọc. Hãy viết như sau: [nghỉ 2 giây] hoặc [nghỉ 500ms].</translation>
    </message>
    <message>
        <source>The voice will probably misread this.</source>
        <translation>Giọng đọc có thể đọc sai chỗ này.</translation>
    </message>
    <message>
        <source>The voice will skip or misread this symbol. Write it out in words.</source>
        <translation>Giọng đọc sẽ bỏ qua hoặc đọc sai ký hiệu này. Hãy viết thành chữ.</translation>
    </message>
    <message>
        <source>This pause ({seconds} s) is too long; the voice pauses 30 seconds at most.</source>
        <translation>Khoảng nghỉ này ({seconds} giây) quá dài; giọng đọc chỉ nghỉ tối đa 30 giây.</translation>
    </message>
    <message>
        <source>Unknown abbreviation: the voice will spell it out or garble it. Write it in full, or add it to the station&apos;s pronunciation list.</source>
        <translation>Chữ viết tắt lạ: giọng đọc sẽ đánh vần hoặc đọc sai. Hãy viết đầy đủ, hoặc thêm vào danh sách cách đọc của đài.</translation>
    </message>
</context>
<context>
    <name>SegmentListener</name>
    <message>
        <source>The segment cannot be played: {reason}</source>
        <translation>Không phát được đoạn này: {reason}</translation>
    </message>
</context>
<context>
    <name>SendDialog</name>
    <message>
        <source>Send to controller</source>
        <translation>Gửi tới máy điều khiển</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Programme:</source>
        <translation>Chương trình:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Mức ưu tiên:</translation>
    </message>
    <message>
        <source>Plays:</source>
        <translation>Phát:</translation>
    </message>
    <message>
        <source>Send to these targets:</source>
        <translation>Gửi tới các nơi nhận sau:</translation>
    </message>
    <message>
        <source>No delivery target is set up. Ask the installer to add the commune&apos;s controller.</source>
        <translation>Chưa có nơi nhận nào. Hãy nhờ người cài đặt thêm máy điều khiển của xã.</translation>
    </message>
    <message>
        <source>as soon as it arrives</source>
        <translation>ngay khi tới nơi</translation>
    </message>
    <message>
        <source>Preparing the programme…</source>
        <translation>Đang chuẩn bị chương trình…</translation>
    </message>
    <message>
        <source>{target}: queued</source>
        <translation>{target}: đã đưa vào hộp thư đi</translation>
    </message>
    <message>
        <source>{target}: already delivered</source>
        <translation>{target}: đã gửi từ trước</translation>
    </message>
    <message>
        <source>{target}: already in the outbox</source>
        <translation>{target}: đã có trong hộp thư đi</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was put in the outbox.</source>
        <translation>Đã hủy. Không có gì được đưa vào hộp thư đi.</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Interface language</source>
        <translation>Ngôn ngữ giao diện</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>Cỡ chữ</translation>
    </message>
    <message>
        <source>Shared database address</source>
        <translation>Địa chỉ cơ sở dữ liệu dùng chung</translation>
    </message>
    <message>
        <source>Loudness target (LUFS)</source>
        <translation>Độ lớn mục tiêu (LUFS)</translation>
    </message>
    <message>
        <source>True-peak ceiling (dBTP)</source>
        <translation>Mức đỉnh thực tối đa (dBTP)</translation>
    </message>
    <message>
        <source>File format</source>
        <translation>Định dạng tệp</translation>
    </message>
    <message>
        <source>MP3 bit rate (kbps)</source>
        <translation>Tốc độ bit MP3 (kbps)</translation>
    </message>
    <message>
        <source>Sample rate (Hz)</source>
        <translation>Tần số lấy mẫu (Hz)</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Số kênh</translation>
    </message>
    <message>
        <source>Pause between segments (seconds)</source>
        <translation>Khoảng nghỉ giữa các đoạn (giây)</translation>
    </message>
    <message>
        <source>Pause after and before jingles (seconds)</source>
        <translation>Khoảng nghỉ trước và sau nhạc hiệu (giây)</translation>
    </message>
    <message>
        <source>Voice processing (horn loudspeakers or neutral)</source>
        <translation>Xử lý giọng đọc (cho loa nén ngoài trời hoặc giữ nguyên)</translation>
    </message>
    <message>
        <source>Speech cache size (MB)</source>
        <translation>Dung lượng bộ nhớ đệm giọng đọc (MB)</translation>
    </message>
    <message>
        <source>User name last logged in</source>
        <translation>Tên đăng nhập lần trước</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Micrô</translation>
    </message>
    <message>
        <source>Count 3-2-1 before recording</source>
        <translation>Đếm 3-2-1 trước khi thu</translation>
    </message>
    <message>
        <source>Reduce background noise in new takes</source>
        <translation>Giảm tiếng ồn nền trong các bản thu mới</translation>
    </message>
    <message>
        <source>Text size in the recording booth (points)</source>
        <translation>Cỡ chữ trong phòng thu (point)</translation>
    </message>
</context>
<context>
    <name>SlotListEditor</name>
    <message>
        <source>No broadcast time.</source>
        <translation>Chưa có giờ phát nào.</translation>
    </message>
    <message>
        <source>Add a time</source>
        <translation>Thêm giờ phát</translation>
    </message>
    <message>
        <source>Add another broadcast time</source>
        <translation>Thêm một giờ phát nữa</translation>
    </message>
</context>
<context>
    <name>SlotRow</name>
    <message>
        <source>Every week</source>
        <translation>Hằng tuần</translation>
    </message>
    <message>
        <source>On one day</source>
        <translation>Vào một ngày</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Remove this broadcast time</source>
        <translation>Xóa giờ phát này</translation>
    </message>
</context>
<context>
    <name>Splash</name>
    <message>
        <source>Commune Radio Studio</source>
        <translation>Phòng thu Đài truyền thanh xã</translation>
    </message>
    <message>
        <source>Opening the library…</source>
        <translation>Đang mở thư viện…</translation>
    </message>
</context>
<context>
    <name>States</name>
    <message>
        <source>Draft</source>
        <translation>Bản nháp</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Chờ phê duyệt</translation>
    </message>
    <message>
        <source>Changes requested</source>
        <translation>Cần sửa</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Đã duyệt</translation>
    </message>
    <message>
        <source>Approved and rendered</source>
        <translation>Đã duyệt và tạo tệp</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Đã gửi đi phát</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Đã rút lại</translation>
    </message>
    <message>
        <source>Changed after approval by {user}: it must be approved again.</source>
        <translation>{user} đã sửa sau khi duyệt: cần phê duyệt lại.</translation>
    </message>
    <message>
        <source>{user} asked for changes.</source>
        <translation>{user} yêu cầu sửa.</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>Your station</source>
        <translation>Đài của bạn</translation>
    </message>
    <message>
        <source>Its name goes into every programme file (as the artist), so players and the controller show it.</source>
        <translation>Tên đài được ghi vào mọi tệp chương trình (ở mục nghệ sĩ), để máy nghe nhạc và bộ điều khiển hiển thị.</translation>
    </message>
    <message>
        <source>e.g. Đài truyền thanh xã Tân Lập</source>
        <translation>ví dụ: Đài truyền thanh xã Tân Lập</translation>
    </message>
    <message>
        <source>e.g. Xã Tân Lập</source>
        <translation>ví dụ: Xã Tân Lập</translation>
    </message>
    <message>
        <source>e.g. Tỉnh Sơn La</source>
        <translation>ví dụ: Tỉnh Sơn La</translation>
    </message>
    <message>
        <source>The name of the programme series (the album in players)</source>
        <translation>Tên loạt chương trình (mục album trong máy nghe nhạc)</translation>
    </message>
    <message>
        <source>Station name:</source>
        <translation>Tên đài:</translation>
    </message>
    <message>
        <source>Commune:</source>
        <translation>Xã:</translation>
    </message>
    <message>
        <source>Province:</source>
        <translation>Tỉnh:</translation>
    </message>
    <message>
        <source>Programme series:</source>
        <translation>Loạt chương trình:</translation>
    </message>
</context>
<context>
    <name>StationRulesDialog</name>
    <message>
        <source>Station rules</source>
        <translation>Quy định của đài</translation>
    </message>
    <message>
        <source>How long one broadcast session may last and how many sessions the station has each day. A programme longer than a session gets a warning before it is delivered.</source>
        <translation>Thời lượng tối đa của một phiên phát thanh và số phiên mỗi ngày của đài. Chương trình dài hơn một phiên sẽ được cảnh báo trước khi gửi đi.</translation>
    </message>
    <message>
        <source>Broadcast sessions</source>
        <translation>Phiên phát thanh</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>Longest session:</source>
        <translation>Phiên dài nhất:</translation>
    </message>
    <message>
        <source>Sessions a day:</source>
        <translation>Số phiên mỗi ngày:</translation>
    </message>
    <message>
        <source>Refuse to deliver programmes longer than a session</source>
        <translation>Không gửi đi chương trình dài hơn một phiên</translation>
    </message>
    <message>
        <source>Emergency programmes always go out, whatever their length. Without this, a longer programme only gets a warning.</source>
        <translation>Chương trình khẩn cấp luôn được gửi đi, dù dài bao nhiêu. Nếu không chọn mục này, chương trình dài hơn chỉ bị cảnh báo.</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <source>Single-person mode: the same person may write and approve</source>
        <translation>Chế độ một người: một người được vừa soạn vừa phê duyệt</translation>
    </message>
    <message>
        <source>Only for a station run by one person. The check by a second person is then skipped, and every approval made this way is marked in the audit log.</source>
        <translation>Chỉ dùng cho đài do một người phụ trách. Khi đó bước kiểm tra của người thứ hai được bỏ qua, và mọi lần phê duyệt theo cách này đều được đánh dấu trong nhật ký thao tác.</translation>
    </message>
    <message>
        <source>Bilingual bulletins</source>
        <translation>Bản tin song ngữ</translation>
    </message>
    <message>
        <source>Each item, then the same item in the other languages</source>
        <translation>Từng tin, tiếp theo là chính tin đó bằng các ngôn ngữ khác</translation>
    </message>
    <message>
        <source>All items in Vietnamese, then all items in each other language</source>
        <translation>Tất cả các tin bằng tiếng Việt, rồi tất cả các tin bằng từng ngôn ngữ khác</translation>
    </message>
    <message>
        <source>How a bulletin with translations (segments marked “Translation of”) is laid out in the programme.</source>
        <translation>Cách sắp xếp trong chương trình một bản tin có bản dịch (các đoạn được đánh dấu “Bản dịch của”).</translation>
    </message>
    <message>
        <source>Only an administrator can change the station rules.</source>
        <translation>Chỉ quản trị viên mới được thay đổi quy định của đài.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>StationScheduleDialog</name>
    <message>
        <source>Broadcast times and loudspeaker zones</source>
        <translation>Giờ phát và cụm loa</translation>
    </message>
    <message>
        <source>What a new bulletin starts with. Bulletins already written keep their own schedule.</source>
        <translation>Lịch phát mặc định của bản tin mới. Các bản tin đã soạn vẫn giữ lịch phát riêng của mình.</translation>
    </message>
    <message>
        <source>Usual broadcast times</source>
        <translation>Giờ phát thường lệ</translation>
    </message>
    <message>
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <source>A new bulletin is valid for:</source>
        <translation>Bản tin mới có hiệu lực trong:</translation>
    </message>
    <message>
        <source>Local time:</source>
        <translation>Múi giờ:</translation>
    </message>
    <message>
        <source>Loudspeaker zones</source>
        <translation>Cụm loa</translation>
    </message>
    <message>
        <source>Id: as the broadcast controller knows the zone. Name: as people call it, e.g. “Thôn 3”.</source>
        <translation>Mã: tên của cụm loa trong máy điều khiển phát thanh. Tên: cách bà con thường gọi, ví dụ “Thôn 3”.</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Add zone</source>
        <translation>Thêm cụm loa</translation>
    </message>
    <message>
        <source>Remove zone</source>
        <translation>Xóa cụm loa</translation>
    </message>
    <message>
        <source>Only an administrator can change the station&apos;s broadcast times and zones.</source>
        <translation>Chỉ quản trị viên mới được thay đổi giờ phát và cụm loa của đài.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>At most {limit} loudspeaker zones.</source>
        <translation>Tối đa {limit} cụm loa.</translation>
    </message>
    <message>
        <source>Zone {number} has no id.</source>
        <translation>Cụm loa thứ {number} chưa có mã.</translation>
    </message>
    <message>
        <source>Zone {number}: the id “{id}” is used twice.</source>
        <translation>Cụm loa thứ {number}: mã “{id}” bị trùng.</translation>
    </message>
    <message>
        <source>Zone {number} has no name.</source>
        <translation>Cụm loa thứ {number} chưa có tên.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>TargetForm</name>
    <message>
        <source>Choose the delivery folder</source>
        <extracomment>``picker(parent, start) -&gt; chosen path or &quot;&quot;``: the file dialogs, replaceable so tests never open one.</extracomment>
        <translation>Chọn thư mục nhận chương trình</translation>
    </message>
    <message>
        <source>Choose the CA certificate</source>
        <translation>Chọn chứng chỉ CA</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Chứng chỉ (*.pem *.crt *.cer);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>for example: controller</source>
        <translation>ví dụ: máy điều khiển</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>address or name of the controller</source>
        <translation>địa chỉ hoặc tên của máy điều khiển</translation>
    </message>
    <message>
        <source>none: the usual certificate authorities</source>
        <translation>để trống: dùng các tổ chức cấp chứng chỉ thông thường</translation>
    </message>
    <message>
        <source>Trust…</source>
        <translation>Tin cậy…</translation>
    </message>
    <message>
        <source>Ask the controller for its key and compare it with the one the controller&apos;s installer gives you.</source>
        <translation>Lấy khóa của máy điều khiển và so sánh với khóa do người cài đặt máy điều khiển cung cấp.</translation>
    </message>
    <message>
        <source>Send programmes to this target</source>
        <translation>Gửi chương trình đến nơi nhận này</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Loại:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Thư mục:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Địa chỉ:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Máy chủ:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Cổng:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mật khẩu:</translation>
    </message>
    <message>
        <source>Folder on the server:</source>
        <translation>Thư mục trên máy chủ:</translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation>Chứng chỉ CA:</translation>
    </message>
    <message>
        <source>Trusted key:</source>
        <translation>Khóa được tin cậy:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Mã truy cập:</translation>
    </message>
    <message>
        <source>not trusted yet</source>
        <translation>chưa được tin cậy</translation>
    </message>
    <message>
        <source>stored on this computer</source>
        <translation>đã lưu trên máy tính này</translation>
    </message>
    <message>
        <source>leave empty to keep it</source>
        <translation>để trống nếu muốn giữ nguyên</translation>
    </message>
    <message>
        <source>not stored on this computer</source>
        <translation>chưa lưu trên máy tính này</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <source>Folder or network share</source>
        <translation>Thư mục hoặc thư mục dùng chung trên mạng</translation>
    </message>
    <message>
        <source>SFTP server</source>
        <translation>Máy chủ SFTP</translation>
    </message>
    <message>
        <source>FTP server</source>
        <translation>Máy chủ FTP</translation>
    </message>
    <message>
        <source>FTPS server (FTP with TLS)</source>
        <translation>Máy chủ FTPS (FTP có mã hóa TLS)</translation>
    </message>
    <message>
        <source>Studio Controller API (HTTP)</source>
        <translation>Giao diện Studio Controller API (HTTP)</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Delivery targets</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <source>Where the studio sends finished programmes: a folder, or the commune&apos;s broadcast controller. Passwords and tokens are kept on this computer only, never in the library.</source>
        <translation>Nơi phòng thu gửi các chương trình đã hoàn thành: một thư mục, hoặc máy điều khiển truyền thanh của xã. Mật khẩu và mã truy cập chỉ được lưu trên máy tính này, không bao giờ lưu trong thư viện.</translation>
    </message>
    <message>
        <source>Only an administrator can change the delivery targets. You can still test their connection.</source>
        <translation>Chỉ quản trị viên mới được thay đổi nơi nhận. Bạn vẫn có thể kiểm tra kết nối.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>New target</source>
        <translation>Nơi nhận mới</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Kiểm tra kết nối</translation>
    </message>
    <message>
        <source>Stop the test</source>
        <translation>Dừng kiểm tra</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>Type a name for the target.</source>
        <translation>Hãy nhập tên cho nơi nhận.</translation>
    </message>
    <message>
        <source>“{name}” was saved.</source>
        <translation>Đã lưu “{name}”.</translation>
    </message>
    <message>
        <source>Remove delivery target</source>
        <translation>Xóa nơi nhận</translation>
    </message>
    <message>
        <source>Remove “{name}”? Its queued programmes are not sent there any more and its password is deleted from this computer. Programmes already delivered stay on the controller.</source>
        <translation>Xóa “{name}”? Các chương trình đang chờ sẽ không được gửi đến đó nữa, và mật khẩu của nơi nhận này bị xóa khỏi máy tính này. Các chương trình đã gửi vẫn còn trên máy điều khiển.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Không xóa</translation>
    </message>
    <message>
        <source>“{name}” was removed.</source>
        <translation>Đã xóa “{name}”.</translation>
    </message>
    <message>
        <source>The studio ran into a problem; nothing was changed.</source>
        <translation>Phòng thu gặp sự cố; chưa có gì bị thay đổi.</translation>
    </message>
    <message>
        <source>This key is trusted already: {fingerprint}</source>
        <translation>Khóa này đã được tin cậy: {fingerprint}</translation>
    </message>
    <message>
        <source>The studio ran into a problem during the test.</source>
        <translation>Phòng thu gặp sự cố trong lúc kiểm tra.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Đang kiểm tra kết nối…</translation>
    </message>
    <message>
        <source>The test was stopped.</source>
        <translation>Đã dừng kiểm tra.</translation>
    </message>
    <message>
        <source>The connection works: {description}</source>
        <translation>Kết nối tốt: {description}</translation>
    </message>
    <message>
        <source>The key {fingerprint} of “{name}” is trusted now.</source>
        <translation>Khóa {fingerprint} của “{name}” giờ đã được tin cậy.</translation>
    </message>
</context>
<context>
    <name>TaskPanel</name>
    <message>
        <source>Creating the audio file</source>
        <extracomment>The runner&apos;s task names the panel shows, and how it calls them.</extracomment>
        <translation>Đang tạo tệp âm thanh</translation>
    </message>
    <message>
        <source>Reading a segment aloud</source>
        <translation>Đang đọc thử một đoạn</translation>
    </message>
    <message>
        <source>Cleaning and keeping a take</source>
        <translation>Đang làm sạch và lưu bản thu</translation>
    </message>
    <message>
        <source>Preparing the programme for sending</source>
        <translation>Đang chuẩn bị chương trình để gửi</translation>
    </message>
    <message>
        <source>Testing the connection to the controller</source>
        <translation>Đang thử kết nối với bộ điều khiển</translation>
    </message>
    <message>
        <source>Writing a bulletin file</source>
        <translation>Đang ghi tệp bản tin</translation>
    </message>
    <message>
        <source>Checking a bulletin file</source>
        <translation>Đang kiểm tra tệp bản tin</translation>
    </message>
    <message>
        <source>Sending programme (job {job}) to the controller</source>
        <translation>Đang gửi chương trình (việc {job}) tới bộ điều khiển</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Teleprompter</name>
    <message>
        <source>Text to read</source>
        <translation>Nội dung cần đọc</translation>
    </message>
</context>
<context>
    <name>Templates</name>
    <message>
        <source>Standard bulletin</source>
        <translation>Bản tin chuẩn</translation>
    </message>
    <message>
        <source>Emergency notice</source>
        <translation>Thông báo khẩn</translation>
    </message>
    <message>
        <source>Empty bulletin</source>
        <translation>Bản tin trống</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Timeline of the audio file</source>
        <translation>Dòng thời gian của tệp âm thanh</translation>
    </message>
    <message>
        <source>Play from here</source>
        <translation>Phát từ chỗ này</translation>
    </message>
    <message>
        <source>Play from the start of segment {number}</source>
        <translation>Phát từ đầu đoạn {number}</translation>
    </message>
    <message>
        <source>Music bed under this segment</source>
        <translation>Có nhạc nền dưới đoạn này</translation>
    </message>
    <message>
        <source>Music bed: the station&apos;s rule</source>
        <translation>Nhạc nền: theo quy định của đài</translation>
    </message>
    <message>
        <source>The station&apos;s settings decide which kinds of segment get the bed</source>
        <translation>Cài đặt của đài quyết định loại đoạn nào có nhạc nền</translation>
    </message>
    <message>
        <source>Drag to change the pause before segment {number}; drag left over the item before to blend them (crossfade)</source>
        <translation>Kéo để đổi khoảng nghỉ trước đoạn {number}; kéo sang trái đè lên mục phía trước để chuyển mượt (hòa hai mục vào nhau)</translation>
    </message>
    <message>
        <source>Segment {number} ({kind}), {span}. Drag it onto another segment to move it.</source>
        <translation>Đoạn {number} ({kind}), {span}. Kéo thả lên một đoạn khác để chuyển chỗ.</translation>
    </message>
    <message>
        <source>Music bed “{name}” here at {level}; it is lowered under speech.</source>
        <translation>Nhạc nền “{name}” ở đây có mức {level}; nhạc được hạ nhỏ khi có lời đọc.</translation>
    </message>
    <message>
        <source>Out of date — render again to update the timeline</source>
        <translation>Đã cũ — hãy tạo lại tệp âm thanh để cập nhật dòng thời gian</translation>
    </message>
    <message>
        <source>The timeline of the bulletin appears here once it has an audio file.</source>
        <translation>Dòng thời gian của bản tin sẽ hiện ở đây khi đã có tệp âm thanh.</translation>
    </message>
    <message>
        <source>This audio file was made before the studio kept timelines. Create the audio file again to see its timeline.</source>
        <translation>Tệp âm thanh này được tạo trước khi phòng thu lưu dòng thời gian. Hãy tạo lại tệp âm thanh để xem dòng thời gian.</translation>
    </message>
    <message>
        <source>Reading the waveform…</source>
        <translation>Đang đọc dạng sóng…</translation>
    </message>
    <message>
        <source>No music bed</source>
        <translation>Không có nhạc nền</translation>
    </message>
    <message>
        <source>Pause {seconds} s</source>
        <translation>Nghỉ {seconds} giây</translation>
    </message>
    <message>
        <source>Crossfade {seconds} s</source>
        <translation>Chuyển mượt {seconds} giây</translation>
    </message>
    <message>
        <source>Move to place {number}</source>
        <translation>Chuyển đến vị trí {number}</translation>
    </message>
</context>
<context>
    <name>TimingRow</name>
    <message>
        <source>Default</source>
        <translation>Mặc định</translation>
    </message>
    <message>
        <source>Silence before this segment (Default: the station&apos;s pause)</source>
        <translation>Khoảng lặng trước đoạn này (Mặc định: khoảng nghỉ của đài)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>Blend the start of this segment into the end of the item before it; a crossfade replaces the pause</source>
        <translation>Hòa phần đầu đoạn này vào phần cuối của mục phía trước; khi chuyển mượt thì không có khoảng nghỉ</translation>
    </message>
    <message>
        <source>Station&apos;s rule</source>
        <translation>Theo quy định của đài</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Bật</translation>
    </message>
    <message>
        <source>Music under this segment, lowered while the voice speaks</source>
        <translation>Nhạc dưới đoạn này, được hạ nhỏ khi giọng đọc cất lên</translation>
    </message>
    <message>
        <source>Pause before:</source>
        <translation>Nghỉ trước:</translation>
    </message>
    <message>
        <source>Crossfade:</source>
        <translation>Chuyển mượt:</translation>
    </message>
    <message>
        <source>Music bed:</source>
        <translation>Nhạc nền:</translation>
    </message>
    <message>
        <source>s</source>
        <translation>giây</translation>
    </message>
</context>
<context>
    <name>WaveformStrip</name>
    <message>
        <source>Click to hear the take from there</source>
        <translation>Bấm để nghe bản thu từ chỗ đó</translation>
    </message>
    <message>
        <source>Waveform and playhead</source>
        <translation>Dạng sóng và vị trí đang phát</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Commune Radio Studio</source>
        <translation>Chào mừng đến với Phòng thu Đài truyền thanh xã</translation>
    </message>
    <message>
        <source>A few questions about your station, and the studio is ready. Everything can be changed later in the Station menu.</source>
        <translation>Trả lời vài câu hỏi về đài của bạn là phòng thu sẵn sàng. Mọi thứ đều có thể đổi sau trong trình đơn Đài.</translation>
    </message>
    <message>
        <source>Language of the studio:</source>
        <translation>Ngôn ngữ của phòng thu:</translation>
    </message>
</context>
</TS>
