/** The popup's passkey words in vi (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'Đăng nhập nhanh hơn vào lần sau',
  offerBody:
    'Dùng khóa truy cập: vân tay, khuôn mặt hoặc khóa màn hình thay cho mã. Khóa được lưu trên thiết bị của bạn.',
  create: 'Tạo khóa truy cập',
  notNow: 'Để sau',
  created: 'Đã tạo khóa truy cập.',
  cancelled: 'Chưa tạo được khóa truy cập. Hãy thử lại hoặc bỏ qua.',
  failed: 'Không thể tạo khóa truy cập. Bạn có thể bỏ qua: mã của bạn đã dùng được rồi.',
  signIn: 'Đăng nhập bằng khóa truy cập',
  or: 'hoặc nhận mã',
  signInFailed: 'Khóa truy cập đó không dùng được. Hãy dùng mã.',
};
export default words;
