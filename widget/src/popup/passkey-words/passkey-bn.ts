/** The popup's passkey words in bn (see ../PasskeyUi.tsx). */
import type { PasskeyWords } from './words.ts';

const words: PasskeyWords = {
  offerTitle: 'পরের বার আরও দ্রুত সাইন ইন করুন',
  offerBody: 'পাসকি ব্যবহার করুন: কোডের বদলে আপনার আঙুলের ছাপ, মুখ বা স্ক্রিন লক। এটি আপনার ডিভাইসেই থাকে।',
  create: 'পাসকি তৈরি করুন',
  notNow: 'এখন নয়',
  created: 'পাসকি তৈরি হয়েছে।',
  cancelled: 'কোনো পাসকি তৈরি হয়নি। আবার চেষ্টা করুন, অথবা এড়িয়ে যান।',
  failed: 'পাসকি তৈরি করা গেল না। আপনি এড়িয়ে যেতে পারেন: আপনার কোড ইতিমধ্যে কাজ করেছে।',
  signIn: 'পাসকি দিয়ে সাইন ইন করুন',
  or: 'অথবা একটি কোড নিন',
  signInFailed: 'সেই পাসকি কাজ করেনি। পরিবর্তে একটি কোড ব্যবহার করুন।',
};
export default words;
